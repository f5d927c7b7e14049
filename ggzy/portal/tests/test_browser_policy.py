"""The 网站管理员 edits a column's 栏目发布规范 in Chromium (网站管理制度 第九条):
the layout changes on the public site, the change is audited, a bad value
is refused with a Chinese error."""

import io
import re
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.portal.models import ColumnPolicy
from ggzy.portal.tests.factories import applied_layout, column, publish_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def published_file(url: str):
    return settings.PUBLISH_ROOT.joinpath(*filter(None, unquote(url).split("/")), "index.html")


def test_website_admin_changes_a_column_layout_and_a_bad_value_is_refused(center, live_server, page):
    news = column("zxdt")
    article = publish_article(news, "中心召开年度网络安全工作会议")
    # One process: a build forked while Playwright's loop runs in this thread gave
    # the workers garbled PostgreSQL rows (test-only; forked builds: test_parallel).
    call_command("build_site", "--workers", "1", stdout=io.StringIO())
    assert "font-size: 14pt" in applied_layout(published_file(article.url).read_text())  # 4号
    admin = make_user(RoleKey.WEBSITE_ADMIN, department="xinxi")

    browser_login(page, live_server, admin)
    page.get_by_role("button", name="设置").click()
    page.get_by_role("link", name="栏目发布规范").click()
    expect(page).to_have_url(re.compile(r"/admin/column-policies/$"))
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="中心动态", exact=True))
    expect(row).to_contain_text("宋体 4号 黑色字体 行间距固定值22磅")
    row.get_by_role("link", name="中心动态", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/admin/column-policies/edit/{news.policy.pk}/$"))

    # A line spacing outside 8–72 pt: a Chinese error, nothing saved.
    page.get_by_label("行间距（固定值，磅）").fill("100")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".error-message")).to_have_text(re.compile(r"确保该值小于或等于 ?72"))
    assert ColumnPolicy.objects.get(pk=news.policy.pk).line_spacing_pt == Decimal(22)
    assert not AuditEvent.objects.filter(action="portal.column_policy.updated").exists()

    page.get_by_label("行间距（固定值，磅）").fill("28")
    page.get_by_label("字号").select_option(label="小四")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("中心动态")
    expect(page).to_have_url(re.compile(r"/admin/column-policies/$"))
    expect(row).to_contain_text("宋体 小四 黑色字体 行间距固定值28磅")

    policy = ColumnPolicy.objects.get(pk=news.policy.pk)
    assert (policy.font_size, policy.line_spacing_pt) == ("小四", Decimal(28))
    event = AuditEvent.objects.get(action="portal.column_policy.updated")
    assert event.actor == admin and event.object_id == str(policy.pk)
    assert sorted(event.before) == sorted(event.after) == ["font_size", "line_spacing_pt"]
    assert (event.before["font_size"], Decimal(event.before["line_spacing_pt"])) == ("4号", 22)
    assert (event.after["font_size"], Decimal(event.after["line_spacing_pt"])) == ("小四", 28)

    # The public site takes the new layout: the dynamic page and the rebuilt static file.
    page.goto(live_server.url + article.url)
    size = page.locator(".article-body").evaluate("e => getComputedStyle(e).fontSize")
    assert size == "16px"  # 12pt
    static = applied_layout(published_file(article.url).read_text())
    assert "font-size: 12pt" in static and "line-height: 28pt" in static


def test_the_admin_works_under_its_content_security_policy(center, live_server, page):
    """Dashboard, a listing, the page editor (and the public page): no CSP violation."""
    from ggzy.accounts.tests.browser import record_csp_violations

    news = column("zxdt")
    article = publish_article(news, "中心召开年度网络安全工作会议")
    violations = record_csp_violations(page)
    browser_login(page, live_server, make_user(RoleKey.WEBSITE_ADMIN, department="xinxi"))
    expect(page).to_have_url(re.compile(r"/admin/$"))
    response = page.goto(live_server.url + "/admin/")
    assert response.headers["content-security-policy"] == settings.CSP_ADMIN
    for path in [
        f"/admin/pages/{news.pk}/",
        "/admin/publishing/records/",
        f"/admin/pages/{article.pk}/edit/",
    ]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        expect(page.locator("main, #main").first).to_be_visible()
    # The editor's widgets (rich text, choosers) are drawn by scripts: they must have run.
    expect(page.locator(".Draftail-Editor").first).to_be_visible()
    # A listing filter's date chooser (was an inline script) opens its calendar.
    page.goto(live_server.url + "/admin/publishing/records/")
    initialised = "() => !!jQuery('#id_published_at__gte').data('xdsoft_datetimepicker')"
    assert page.evaluate(initialised)
    page.goto(live_server.url + article.url)
    page.wait_for_load_state("networkidle")
    assert violations == [], "\n".join(violations)


def test_inline_panels_work_under_the_admin_csp(center, live_server, page):
    """The candidates' InlinePanel (was an inline script) adds a row; no CSP violation."""
    from ggzy.accounts.tests.browser import record_csp_violations
    from ggzy.notices.choices import NoticeKind
    from ggzy.notices.tests.factories import add_notice

    drafter = make_user(RoleKey.DRAFTER, department="jianshe")
    notice = add_notice(NoticeKind.CONSTRUCTION_CANDIDATES, drafter=drafter)
    violations = record_csp_violations(page)
    browser_login(page, live_server, drafter)
    page.goto(live_server.url + f"/admin/pages/{notice.pk}/edit/")
    rows = page.locator("#id_candidates-FORMS > [data-inline-panel-child]:not(.deleted)")
    expect(rows).to_have_count(2)
    page.locator("#id_candidates-ADD").click()
    expect(rows).to_have_count(3)
    assert violations == [], "\n".join(violations)
