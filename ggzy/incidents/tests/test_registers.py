"""The readiness registers (应急预案 第十、十一、十三–十六条): kept by the 安全管理员,
validated with Chinese errors, audited with what changed; read by the responders."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.incidents.models import Contact, Drill
from ggzy.incidents.registers import REGISTERS, register_save

pytestmark = pytest.mark.django_db


def test_the_security_admin_keeps_the_contacts_roster():
    security, network = make_user(RoleKey.SECURITY_ADMIN), make_user(RoleKey.NETWORK_ADMIN)
    data = {"name": "张明", "group": "leadership", "phone": "13800000000", "is_lead": "on", "active": "on"}
    with pytest.raises(PermissionDenied):  # who is alerted is not for any responder to change
        register_save(register=REGISTERS["contacts"], instance=None, data=data, actor=network)
    with pytest.raises(ValidationError) as refused:
        register_save(
            register=REGISTERS["contacts"], instance=None, data={**data, "phone": ""}, actor=security
        )
    assert "phone" in refused.value.message_dict
    contact = register_save(register=REGISTERS["contacts"], instance=None, data=data, actor=security)
    register_save(
        register=REGISTERS["contacts"],
        instance=contact,
        data={**data, "phone": "13900000000"},
        actor=security,
    )
    contact.refresh_from_db()
    assert contact.phone == "13900000000" and contact.is_lead
    changed = AuditEvent.objects.filter(action="incidents.register.saved").order_by("seq").last()
    assert changed.before == {"phone": "13800000000"} and changed.after == {"phone": "13900000000"}


def test_the_register_screens(client):
    security, auditor = make_user(RoleKey.SECURITY_ADMIN), make_user(RoleKey.AUDIT_ADMIN)
    login_as(client, security)
    bad = client.post("/admin/incidents/registers/drills/new/", {"scenario": "断网", "held_on": "明天"})
    assert bad.status_code == 200 and not Drill.objects.exists()
    response = client.post(
        "/admin/incidents/registers/drills/new/",
        {
            "scenario": "核心交换机断电",
            "held_on": "2026-11-20",
            "participants": "信息科全体",
            "findings": "备用电源切换慢",
            "problems_found": "1",
        },
    )
    assert response.status_code == 302 and Drill.objects.get().findings == "备用电源切换慢"
    login_as(client, auditor)
    page = client.get("/admin/incidents/registers/drills/").content.decode()
    assert "核心交换机断电" in page and "新增" not in page
    assert not Contact.objects.exists()
