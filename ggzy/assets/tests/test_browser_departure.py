"""A departure blocked by an unreturned laptop, in Debian's Chromium (人员离岗离职信息
安全管理规定 第三条): the department head has signed off every checklist item, but the
departure page lists the laptop the person still holds and 办结 is refused naming it;
信息科 records the return on the asset's page, and the departure closes."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import Department
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.assets import services
from ggzy.departures.choices import DepartureKind
from ggzy.departures.services import (
    departure_acknowledge_confidentiality,
    departure_item_sign_off,
    departure_start,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_departure_is_blocked_by_an_unreturned_laptop(center, live_server, page, other_page):
    network = make_user(RoleKey.NETWORK_ADMIN, username="wangluo")
    head = make_user(RoleKey.DEPARTMENT_HEAD, department="jianshe", username="kezhang")
    leaving = make_user(RoleKey.DRAFTER, department="jianshe", username="liming")
    laptop = services.asset_create(
        data=services.AssetData(
            number="ZC-2026-0007",
            kind="laptop",
            name="ThinkPad X1",
            model="X1 Carbon",
            department=Department.objects.get(code="jianshe"),
            location="建设工程交易科",
            holder=leaving,
        ),
        actor=network,
    )
    departure = departure_start(
        user=leaving, kind=DepartureKind.RESIGNATION, actor=make_user(RoleKey.SYSTEM_ADMIN)
    )
    for item in departure.items.all():
        departure_item_sign_off(item=item, actor=head)
    departure_acknowledge_confidentiality(
        departure=departure, acknowledged_on=timezone.localdate(), actor=head
    )

    # The head sees the laptop on the departure page and cannot close it.
    browser_login(page, live_server, head)
    page.goto(live_server.url + f"/admin/departures/{departure.pk}/")
    row = page.locator("#departure-handover tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("资产台账")
    expect(row).to_contain_text("笔记本电脑 ZC-2026-0007")
    expect(row).to_contain_text("未归还")
    page.get_by_role("button", name="办结离岗离职手续").click()
    expect(page.locator(".messages")).to_contain_text("以下财物、资料或口令尚未归还或交接")
    expect(page.locator(".messages")).to_contain_text("笔记本电脑 ZC-2026-0007")
    expect(page.locator("#departure-status")).to_have_text("办理中")
    departure.refresh_from_db()
    assert not departure.is_closed

    # The head may open the asset of their department (第三条: handed to the 本科室领导).
    row.get_by_role("link", name="笔记本电脑 ZC-2026-0007").click()
    expect(page).to_have_url(re.compile(rf"/admin/assets/{laptop.pk}/$"))
    expect(page.locator("#asset-holder")).to_have_text("liming")

    # 信息科 records the return.
    browser_login(other_page, live_server, network)
    other_page.get_by_role("button", name="运维管理").click()
    other_page.get_by_role("link", name="资产台账", exact=True).click()
    other_page.locator("#assets").get_by_role("link", name="ZC-2026-0007").click()
    other_page.locator("#return-form").get_by_label("备注").fill("离职归还，外观完好")
    other_page.get_by_role("button", name="登记归还").click()
    expect(other_page.locator("#asset-holder")).to_have_text("无")
    expect(other_page.locator("#asset-state")).to_have_text("库存")
    expect(other_page.locator("#assignments")).to_contain_text("离职归还，外观完好")

    # Now the departure closes.
    page.goto(live_server.url + f"/admin/departures/{departure.pk}/")
    expect(page.locator("#departure-handover-empty")).to_be_visible()
    page.get_by_role("button", name="办结离岗离职手续").click()
    expect(page.locator("#departure-status")).to_contain_text("已办结")
    departure.refresh_from_db()
    assert departure.is_closed and departure.closed_by == head
