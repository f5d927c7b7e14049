"""The 审计管理员 reads the log under an approved grant, in Debian's Chromium."""

import re

import pytest
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import submit_login
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent

from .test_access import approved_grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    from ggzy.accounts.models import User
    from ggzy.accounts.tests.browser import browser_login

    browser_login(page, live_server, User.objects.get(username=username))


def test_audit_admin_reads_the_log_with_a_grant(center, live_server, page):
    auditor = make_user(RoleKey.AUDIT_ADMIN, username="shenji")
    approved_grant(auditor)
    make_user(RoleKey.DRAFTER, username="lisi")
    # Someone fails to sign in: the auditor will find it.
    page.goto(live_server.url + "/admin/login/")
    submit_login(page, "lisi", "wrong-Password-1")

    login(page, live_server, "shenji")
    page.get_by_role("link", name="审计日志").click()
    expect(page).to_have_url(re.compile(r"/admin/audit/events/$"))
    expect(page.get_by_text("本次查阅已记入审计日志")).to_be_visible()

    # Actions are offered by their Chinese labels (the catalogue, ggzy.core.actions).
    page.get_by_label("操作", exact=True).select_option(label="登录失败")
    page.get_by_label("结果").select_option("failure")
    page.get_by_role("button", name="筛选").click()
    table = page.get_by_role("table", name="审计事件")
    failed = table.get_by_role("row").filter(has_text="accounts.login.failed")
    expect(failed).to_have_count(1)
    expect(failed).to_contain_text("登录失败")
    expect(table).to_contain_text("lisi")
    expect(table).not_to_contain_text("accounts.login.succeeded")

    viewed = AuditEvent.objects.filter(action="audit.log.viewed", actor=auditor).order_by("-seq").first()
    assert viewed.extra["filters"] == {"action": "accounts.login.failed", "outcome": "failure"}
    assert viewed.ip == "127.0.0.1"
