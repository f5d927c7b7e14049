"""The 系统管理员 issues an intake API token in Chromium, the trading system
uses it over HTTP, then the token is revoked and refused (密码、口令管理制度:
a credential is shown once, stored only as a hash, and withdrawn when no
longer needed)."""

import json
import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.notices.models import ApiToken, CandidatesNotice, IntakeNotice
from ggzy.notices.tests.test_api import URL, candidates_body

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "交易系统（生产）"


def push(live_server, raw: str) -> int:
    """POST a notice to the intake API as the trading system does; the HTTP status."""
    request = urllib.request.Request(  # noqa: S310 (live_server's http:// URL)
        live_server.url + URL,
        data=json.dumps(candidates_body("JY-2026-0777")).encode(),
        headers={"Authorization": f"Bearer {raw}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def open_tokens(page) -> None:
    page.get_by_role("button", name="交易公告接口").click()
    page.get_by_role("link", name="接口令牌").click()
    expect(page).to_have_url(re.compile(r"/admin/notices/tokens/$"))


def test_system_admin_issues_a_token_shown_once_then_revokes_it(center, live_server, page):
    admin = make_user(R.SYSTEM_ADMIN)

    browser_login(page, live_server, admin)
    open_tokens(page)
    page.get_by_role("link", name=re.compile("添加")).first.click()
    page.get_by_label("名称").fill(NAME)
    page.get_by_label("中标候选人公示").check()
    page.get_by_role("button", name="创建").click()
    expect(page).to_have_url(re.compile(r"/admin/notices/tokens/$"))
    message = page.locator(".messages")
    expect(message).to_contain_text("此后不再显示")
    raw = re.search(r"ggzy_\S+", message.inner_text()).group(0)

    token = ApiToken.objects.get(name=NAME)
    assert token.kinds == ["construction.candidates"] and token.created_by == admin
    assert raw.startswith(token.prefix) and raw not in token.token_hash
    row = page.get_by_role("row").filter(has_text=NAME)
    expect(row).to_contain_text(token.prefix)

    # Shown exactly once: not on reload, not in the listing, not on the token's pages.
    page.reload()
    expect(page.locator("main")).to_contain_text(token.prefix)
    assert raw not in page.content()
    row.get_by_role("link", name=NAME).click()
    expect(page).to_have_url(re.compile(rf"/admin/notices/tokens/edit/{token.pk}/$"))
    assert raw not in page.content()

    # The trading system pushes with it: accepted, a draft exists.
    assert push(live_server, raw) == 201
    intake = IntakeNotice.objects.get(external_id="JY-2026-0777")
    assert intake.token == token and not CandidatesNotice.objects.get(pk=intake.page_id).live

    page.get_by_label("吊销此令牌").check()
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text(f"令牌“{NAME}”已吊销。")
    token.refresh_from_db()
    assert token.revoked_at is not None

    # The same request is refused now.
    assert push(live_server, raw) == 401

    created = AuditEvent.objects.get(action="notices.apitoken.created")
    assert (created.actor, created.object_id) == (admin, str(token.pk))
    revoked = AuditEvent.objects.get(action="notices.apitoken.revoked")
    assert (revoked.actor, revoked.object_id) == (admin, str(token.pk))
    calls = AuditEvent.objects.filter(action="notices.api.called").order_by("pk")
    assert [c.outcome for c in calls] == ["success", "failure"]
