"""The visitor register in Debian's Chromium (网络机房管理制度 二(八)、三(五)): the
机房管理员 registers a vendor engineer's entry; the head of 信息科 approves it in a
second browser; entry without overshoes is refused, then logged with them, then
the departure."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.facility.choices import VisitState
from ggzy.facility.models import Visit

from .factories import machine_room

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _operations(page, label):
    page.get_by_role("button", name="运维管理").click()
    page.get_by_role("link", name=label, exact=True).click()


def test_a_visitor_is_approved_and_logged_in_and_out(center, live_server, page, other_page):
    keeper = make_user(RoleKey.MACHINE_ROOM_ADMIN, username="jifang")
    it_head = make_user(RoleKey.DEPARTMENT_HEAD, department="xinxi", username="xinxike")
    machine_room(keeper)

    browser_login(page, live_server, keeper)
    _operations(page, "进入机房登记")
    expect(page.locator("#visits")).to_contain_text("暂无进入机房登记。")
    page.get_by_role("link", name="登记进入申请").click()
    page.get_by_label("来访人").fill("王工")
    page.get_by_label("单位").fill("焦作某网络技术有限公司")
    page.get_by_label("事由").fill("更换核心交换机电源模块")
    page.get_by_label("陪同人").fill("张明")
    page.get_by_label("来访日期").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="登记申请").click()
    expect(page.locator(".messages")).to_contain_text("待机房负责人批准")
    visit = Visit.objects.get()
    row = page.locator(f"#visit-{visit.pk}")
    expect(row).to_contain_text("待批准")
    expect(row.get_by_role("button", name="登记进入")).to_have_count(0)

    browser_login(other_page, live_server, it_head)
    _operations(other_page, "进入机房登记")
    other_row = other_page.locator(f"#visit-{visit.pk}")
    other_row.locator("select").select_option(label="同意")
    other_row.get_by_role("button", name="审批").click()
    expect(other_page.locator(f"#visit-{visit.pk}")).to_contain_text("已批准")

    page.reload()
    row = page.locator(f"#visit-{visit.pk}")
    row.get_by_label("已核验身份证明").check()
    row.get_by_role("button", name="登记进入").click()
    expect(page.locator(".messages")).to_contain_text("必须更换专用拖鞋或使用鞋套")
    assert Visit.objects.get().state == VisitState.APPROVED
    row = page.locator(f"#visit-{visit.pk}")
    row.get_by_label("已核验身份证明").check()
    row.get_by_label("已更换专用拖鞋或鞋套").check()
    row.get_by_role("button", name="登记进入").click()
    expect(page.locator(f"#visit-{visit.pk}")).to_contain_text("在机房内")
    page.locator(f"#visit-{visit.pk}").get_by_role("button", name="登记离开").click()
    expect(page.locator(f"#visit-{visit.pk}")).to_contain_text("已离开")
    visit.refresh_from_db()
    assert visit.state == VisitState.LEFT and visit.decided_by == it_head
    assert visit.entered_at and visit.left_at
