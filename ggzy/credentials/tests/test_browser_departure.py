"""A departure listing the passwords to change, in Debian's Chromium (人员离岗离职信息
安全管理规定 第二条(一)、第三条): the departing person was a holder of the core switch's
password; the department head sees it on the departure page as 待更换 and 办结 is
refused naming it; once two people have changed the password, it reads 已更换 and
the departure closes."""

import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.departures.choices import DepartureKind
from ggzy.departures.services import (
    departure_acknowledge_confidentiality,
    departure_item_sign_off,
    departure_start,
)

from .factories import NEXT_SECRET, make_credential, people, set_by_two

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_departure_lists_the_passwords_to_change(center, live_server, page):
    head, admin = people()
    leaving = make_user(RoleKey.DRAFTER, department="xinxi", username="liming")
    switch = make_credential(admin, name="核心交换机", holders=[leaving], target="10.0.0.1")
    with time_machine.travel(timezone.now() - timezone.timedelta(days=30)):
        set_by_two(switch, admin, head)
    departure = departure_start(
        user=leaving, kind=DepartureKind.TRANSFER, actor=make_user(RoleKey.SYSTEM_ADMIN)
    )
    for item in departure.items.all():
        departure_item_sign_off(item=item, actor=head)
    departure_acknowledge_confidentiality(
        departure=departure, acknowledged_on=timezone.localdate(), actor=head
    )

    browser_login(page, live_server, head)
    page.goto(live_server.url + f"/admin/departures/{departure.pk}/")
    row = page.locator("#departure-handover tbody tr", has_text="核心交换机")
    expect(row).to_contain_text("特权口令")
    expect(row).to_contain_text("admin@10.0.0.1")
    expect(row).to_contain_text("待更换")
    page.get_by_role("button", name="办结离岗离职手续").click()
    expect(page.locator(".messages")).to_contain_text("核心交换机")
    expect(page.locator("#departure-status")).to_have_text("办理中")

    # The head opens the credential from the departure page (their department's).
    row.get_by_role("link", name="核心交换机").click()
    expect(page).to_have_url(re.compile(rf"/admin/credentials/inspect/{switch.pk}/$"))
    expect(page.locator("main")).to_contain_text("10.0.0.1")

    set_by_two(switch, head, admin, NEXT_SECRET)  # two people change it (the vault's own flow)

    page.goto(live_server.url + f"/admin/departures/{departure.pk}/")
    expect(page.locator("#departure-handover tbody tr", has_text="核心交换机")).to_contain_text("已更换")
    page.get_by_role("button", name="办结离岗离职手续").click()
    expect(page.locator("#departure-status")).to_contain_text("已办结")
    departure.refresh_from_db()
    assert departure.is_closed
