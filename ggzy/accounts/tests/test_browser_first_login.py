"""The first administrator's first login, in Debian's Chromium."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from ggzy.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_admin_must_change_password_before_using_the_admin(center, live_server, page):
    out = io.StringIO()
    call_command("setup_center", stdout=out)
    username = re.search(r"user name: (\S+)", out.getvalue()).group(1)
    password = re.search(r"password:\s+(\S+)", out.getvalue()).group(1)

    page.goto(live_server.url + "/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form.login-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/admin/password/change/$"))
    expect(page.locator("#forced-change-notice")).to_contain_text("首次登录须先修改密码")
    page.goto(live_server.url + "/admin/users/")
    expect(page).to_have_url(re.compile(r"/admin/password/change/$"))  # nowhere else to go

    page.locator("#id_old_password").fill(password)
    page.locator("#id_new_password1").fill("Jiaozuo-Ggzy-2026!")
    page.locator("#id_new_password2").fill("Jiaozuo-Ggzy-2026!")
    page.get_by_role("button", name="保存新密码").click()

    expect(page).to_have_url(re.compile(r"/admin/$"))
    assert not User.objects.get(username=username).must_change_password
