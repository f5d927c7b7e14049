"""An idle session ends and the login page says why (等保三级 会话管理;
SessionExpiredNoticeMiddleware), in Chromium. The live server runs in this
process, so time-machine moves its clock too: never sleep."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IDLE_MESSAGE = "由于长时间未操作，您已自动退出登录，请重新登录。"


@pytest.mark.parametrize(
    "role,idle_setting",
    [(RoleKey.DRAFTER, "SESSION_IDLE_MINUTES"), (RoleKey.SECURITY_ADMIN, "SESSION_IDLE_ADMIN_MINUTES")],
)
def test_idle_logout_is_explained_on_the_login_page(center, live_server, page, role, idle_setting):
    idle = timedelta(minutes=getattr(settings, idle_setting))
    user = make_user(role)
    # From now, not a fixed date: the browser's clock is not moved, and a cookie
    # dated in its past would simply be dropped.
    with time_machine.travel(timezone.now(), tick=True) as clock:
        browser_login(page, live_server, user)
        page.goto(live_server.url + "/admin/password/change/")
        clock.shift(idle - timedelta(minutes=1))
        page.reload()
        expect(page).to_have_url(re.compile(r"/admin/password/change/$"))  # still signed in

        clock.shift(idle + timedelta(seconds=5))
        page.reload()
        expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/password/change/$"))
        expect(page.locator(".messages")).to_contain_text(IDLE_MESSAGE)
        expect(page.locator("#id_username")).to_be_visible()

        page.reload()  # said once
        expect(page.locator("body")).not_to_contain_text("自动退出登录")
