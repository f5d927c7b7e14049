"""An on-site visit in Debian's Chromium (技术服务外包、维护管理制度 九): the 网络管理员
enters the vendor engineer's request with the 介绍信 and the ID scan; the arrival
cannot be logged yet; the 网络管理员 reviews, the 信息科负责人 approves in a second
browser; the 机房管理员 logs the arrival (escort, rooms), the machine room entered goes
into the facility's visitor register where the door is logged, and the departure (work
done) waits until the register shows the engineer out of the room."""

import io
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.facility import services as facility
from ggzy.facility.choices import RoomKind
from ggzy.vendors import services
from ggzy.vendors.choices import VisitState
from ggzy.vendors.models import Visit

from .factories import ID_NUMBERS, credit_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png(color="white") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), color).save(out, "PNG")
    return out.getvalue()


def _open(page, label):
    page.get_by_role("button", name="运维管理").click()
    page.get_by_role("link", name=label, exact=True).click()


def test_a_vendor_engineers_visit_is_requested_reviewed_approved_and_logged(
    center, live_server, page, other_page
):
    network = make_user(RoleKey.NETWORK_ADMIN, username="wangluo")
    it_head = make_user(RoleKey.DEPARTMENT_HEAD, department="xinxi", username="xinxike")
    door = make_user(RoleKey.MACHINE_ROOM_ADMIN, username="jifang")
    facility.room_create(name="中心机房", kind=RoomKind.MACHINE_ROOM, actor=door)
    vendor = services.vendor_create(name="焦作某网络技术有限公司", credit_code=credit_code(7), actor=network)
    services.vendor_staff_add(
        vendor=vendor, name="王工", id_number=ID_NUMBERS[0], role="工程师", actor=network
    )

    # 1. The 网络管理员 enters the request with the letter and the ID scan.
    browser_login(page, live_server, network)
    _open(page, "上门服务")
    expect(page).to_have_url(re.compile(r"/admin/vendors/visits/$"))
    expect(page.locator("#visits")).to_contain_text("暂无上门服务记录。")
    page.get_by_role("link", name="申请上门服务").click()
    expect(page.locator("main")).to_contain_text("需携带单位介绍信及本人的身份证明")
    page.get_by_label("上门人员").select_option(label="王工（焦作某网络技术有限公司）")
    page.get_by_label("服务内容").fill("更换核心交换机电源模块")
    page.get_by_label("计划日期").fill(timezone.localdate().isoformat())
    # Without the papers the request is refused, nothing stored.
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("main")).to_contain_text("请上传单位介绍信")
    expect(page.locator("main")).to_contain_text("请上传身份证明")
    assert not Visit.objects.exists()
    page.get_by_label("单位介绍信").set_input_files(
        files=[{"name": "介绍信.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.get_by_label("身份证明").set_input_files(
        files=[{"name": "身份证.png", "mimeType": "image/png", "buffer": _png("gray")}]
    )
    page.get_by_label("计划日期").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="提交申请").click()
    visit = Visit.objects.get()
    expect(page).to_have_url(re.compile(rf"/admin/vendors/visits/{visit.pk}/$"))
    expect(page.locator("#visit-state")).to_have_text("待网络管理员审核")
    main = page.locator("main")
    expect(main).to_contain_text("110*************2X")  # the ID number only masked
    expect(main).not_to_contain_text(ID_NUMBERS[0])
    expect(page.locator("#arrival-form")).to_have_count(0)

    # 2. The door: no approval, no entry — nothing to log yet (the service refuses it too:
    # test_views.py::test_arrival_before_approval_is_refused_over_http).
    browser_login(other_page, live_server, door)
    other_page.goto(live_server.url + f"/admin/vendors/visits/{visit.pk}/")
    expect(other_page.locator("#arrival-form")).to_have_count(0)
    expect(other_page.locator("main")).not_to_contain_text("登记到达")
    visit.refresh_from_db()
    assert visit.state == VisitState.REQUESTED and visit.arrived_at is None

    # 3. The 网络管理员 reviews.
    page.locator("#review-form").get_by_label("意见").select_option(label="同意")
    page.locator("#review-form").get_by_label("说明").fill("介绍信、身份证核对无误")
    page.get_by_role("button", name="提交审核意见").click()
    expect(page.locator("#visit-state")).to_have_text("待信息科负责人批准")

    # 4. The head of 信息科 approves in a second browser.
    browser_login(other_page, live_server, it_head)
    _open(other_page, "上门服务")
    other_page.locator("#visits").get_by_role("link", name="王工").click()
    other_page.locator("#approve-form").get_by_label("意见").select_option(label="同意")
    other_page.get_by_role("button", name="提交批准意见").click()
    expect(other_page.locator("#visit-state")).to_have_text("已批准，可进入现场")

    # 5. The 机房管理员 logs the arrival; the machine room entered goes into the visitor
    # register, approved by the head's approval of the visit (网络机房管理制度 二(八)).
    browser_login(other_page, live_server, door)
    other_page.goto(live_server.url + f"/admin/vendors/visits/{visit.pk}/")
    form = other_page.locator("#arrival-form")
    form.get_by_label("陪同人员").select_option(label="wangluo")
    form.get_by_label("进入区域").fill("中心机房")
    form.get_by_label("中心机房").check()
    other_page.get_by_role("button", name="登记到达").click()
    expect(other_page.locator("#visit-state")).to_have_text("在场")
    expect(other_page.locator("#room-entries")).to_contain_text("中心机房：已批准")

    # 6. At the machine room's door: the ID and the overshoes, then inside.
    other_page.locator("#room-entries").get_by_role("link", name="中心机房").click()
    entry = other_page.locator(f"#visit-{visit.room_entries.get().pk}")
    expect(entry).to_contain_text("王工（焦作某网络技术有限公司）")
    entry.get_by_label("已核验身份证明").check()
    entry.get_by_label("已更换专用拖鞋或鞋套").check()
    entry.get_by_role("button", name="登记进入").click()
    expect(other_page.locator(f"#visit-{visit.room_entries.get().pk}")).to_contain_text("在机房内")

    # 7. Not signed out of the center while the register shows them in the room.
    other_page.goto(live_server.url + f"/admin/vendors/visits/{visit.pk}/")
    other_page.locator("#departure-form").get_by_label("工作内容").fill("更换电源模块，测试正常")
    other_page.locator("#departure-form").get_by_role("button", name="登记离开").click()
    expect(other_page.locator(".messages")).to_contain_text("该人员仍在中心机房内")
    expect(other_page.locator("#visit-state")).to_have_text("在场")
    other_page.goto(live_server.url + "/admin/facility/visits/")
    other_page.locator(f"#visit-{visit.room_entries.get().pk}").get_by_role("button", name="登记离开").click()
    expect(other_page.locator(f"#visit-{visit.room_entries.get().pk}")).to_contain_text("已离开")
    other_page.goto(live_server.url + f"/admin/vendors/visits/{visit.pk}/")
    other_page.locator("#departure-form").get_by_label("工作内容").fill("更换电源模块，测试正常")
    other_page.locator("#departure-form").get_by_role("button", name="登记离开").click()
    expect(other_page.locator("#visit-state")).to_have_text("已离场")
    expect(other_page.locator("#room-entries")).to_contain_text("中心机房：已离开")
    log = other_page.locator("#visit-log")
    for text in ("wangluo", "中心机房", "更换电源模块，测试正常", "jifang"):
        expect(log).to_contain_text(text)

    visit.refresh_from_db()
    assert visit.reviewed_by == network and visit.approved_by == it_head and visit.logged_by == door
    assert visit.arrived_at <= visit.departed_at
    actions = list(
        AuditEvent.objects.filter(action__startswith="vendors.visit.").values_list("action", flat=True)
    )
    for name in (
        "vendors.visit.requested",
        "vendors.visit.reviewed",
        "vendors.visit.decided",
        "vendors.visit.arrived",
        "vendors.visit.departed",
    ):
        assert name in actions
