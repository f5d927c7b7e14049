"""Test data for vendors: real services, real users in the center's roles."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.core.credit_code import credit_code_check_character
from ggzy.vendors import services

_counter = itertools.count(1)
# GB 11643 check digits valid (the screening rule): the test engineers' ID numbers.
ID_NUMBERS = ["11010519491231002X", "110105194912310029", "440524188001010014"]


def credit_code(n: int | None = None) -> str:
    first17 = f"91410800MA{n or next(_counter):07d}"
    return first17 + credit_code_check_character(first17)


def png(name="scan.png", color="white") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), color).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


class People:
    """One user per role the vendor flows need; 信息科's head in 信息科."""

    def __init__(self):
        self.dept_head = make_user(RoleKey.DEPARTMENT_HEAD, department="jianshe")
        self.it_head = make_user(RoleKey.DEPARTMENT_HEAD, department="xinxi")
        self.director = make_user(RoleKey.CENTER_DIRECTOR, department="zonghe")
        self.network_admin = make_user(RoleKey.NETWORK_ADMIN)
        self.machine_room_admin = make_user(RoleKey.MACHINE_ROOM_ADMIN)
        self.leader = make_user(RoleKey.LEADER, department="zonghe")
        self.security_admin = make_user(RoleKey.SECURITY_ADMIN)
        self.drafter = make_user(RoleKey.DRAFTER, department="jianshe")


def approved_request(people: People, title="机房空调维保"):
    request = services.outsourcing_request_submit(
        title=title,
        scope="机房精密空调季度维护保养",
        reason="本单位没有空调维修资质人员",
        lacks_capability=True,
        lowers_cost=False,
        more_benefit=False,
        actor=people.dept_head,
    )
    return services.outsourcing_request_decide(request=request, approve=True, actor=people.director)


def vendor(people: People, name="焦作市某网络技术有限公司"):
    return services.vendor_create(name=name, credit_code=credit_code(), actor=people.network_admin)


def staff(people: People, the_vendor, id_number=ID_NUMBERS[0], name="王工"):
    return services.vendor_staff_add(
        vendor=the_vendor, name=name, id_number=id_number, role="工程师", actor=people.network_admin
    )


def contract(people: People, the_vendor, request=None, number=None):
    request = request or approved_request(people)
    selection = services.selection_record(
        request=request,
        method="negotiation",
        held_on=timezone.localdate(),
        participants="甲公司、乙公司、丙公司",
        vendor=the_vendor,
        summary="竞争性谈判，乙公司报价最低且满足要求",
        actor=people.network_admin,
    )
    today = timezone.localdate()
    return services.contract_create(
        selection=selection,
        number=number or f"HT-{next(_counter):04d}",
        title="机房空调维保合同",
        scope="精密空调维护",
        sla="4小时响应，24小时修复",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=335),
        value=Decimal("48000.00"),
        actor=people.network_admin,
    )


def visit(people: People, the_staff=None):
    the_staff = the_staff or staff(people, vendor(people))
    return services.visit_request(
        staff=the_staff,
        purpose="更换核心交换机电源模块",
        planned_on=timezone.localdate(),
        letter=png("介绍信.png"),
        id_document=png("身份证.png", "gray"),
        actor=people.network_admin,
    )
