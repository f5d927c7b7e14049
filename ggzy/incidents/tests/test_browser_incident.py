"""The issue's walk in Debian's Chromium (应急预案 第六条, 第八条, 第九条): a tamper
finding → alert → incident (黑客攻击) → report to the 领导小组 inside the clock →
playbook steps: the site down to the maintenance page, the restore button that
really restores the file, the site back online →
investigation report PDF signed off by the 领导小组 lead → closed."""

import io
import re
from urllib.parse import unquote

import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.incidents.choices import ContactGroup, IncidentStatus
from ggzy.incidents.models import Alert, Contact, Incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tamper_finding_to_closed_incident(center, live_server, page, other_page, settings):
    from ggzy.portal.tests.factories import column, publish_article

    article = publish_article(column("jyxx/jsgc/zbgg"), "道路改造工程招标公告")
    # One worker: with the live server's thread holding a connection, forked
    # workers garbled PostgreSQL rows (test-only; forked builds: test_parallel).
    call_command("build_site", "--workers", "1", stdout=io.StringIO())
    root = settings.PUBLISH_ROOT
    path = root / (unquote(article.url).strip("/") + "/index.html")
    original = path.read_bytes()
    path.write_text("<h1>网站已被篡改</h1>", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("verify_site", stdout=io.StringIO())

    security = make_user(RoleKey.SECURITY_ADMIN, username="anquan")
    lead = make_user(RoleKey.LEADER, username="zuzhang")
    Contact.objects.create(name="王组长", group=ContactGroup.LEADERSHIP, is_lead=True, phone="139", user=lead)

    browser_login(page, live_server, security)
    page.goto(live_server.url + "/admin/incidents/alerts/")
    row = page.locator("#alerts tbody tr").filter(has_text="网页被篡改")
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    page.get_by_role("button", name="转为安全事件").click()
    incident = Incident.objects.get()
    expect(page).to_have_url(re.compile(rf"/admin/incidents/{incident.pk}/$"))
    assert Alert.objects.get().incident == incident
    expect(page.locator("#summary")).to_contain_text("黑客攻击")

    # 第八条: the clock runs; the phone report to the 领导小组 is recorded inside it.
    expect(page.locator("#clock")).to_have_attribute("data-state", re.compile("running|reported"))
    page.locator("#report-channel").select_option("phone")
    page.locator("#report-recipients").fill("王组长")
    page.locator("#report-form").get_by_role("button", name="记录报告").click()
    expect(page.locator("#clock-state")).to_contain_text("已按时报告")
    incident.refresh_from_db()
    assert incident.first_reported_at and not incident.report_late

    # The playbook: step 1 takes the public site down to the maintenance page.
    takedown = page.locator("#step-1 form[data-action='sitebuild.takedown']")
    takedown.locator("input[name=target]").fill("系统维护中，开标时间另行通知。")
    takedown.locator("input[name=reason]").fill("公告页被篡改，先断开对外服务")
    takedown.get_by_label("确认执行").check()
    takedown.get_by_role("button").click()
    expect(page.locator(".messages")).to_contain_text("网站已下线")
    down = page.request.get(live_server.url + article.url)
    assert down.status == 503 and "开标时间另行通知" in down.text()
    # Step 1 done; the restore button needs a reason and a confirmation.
    page.locator("#step-1 .step-form input[name=note]").fill("已断开外网")
    page.locator("#step-1 .step-form").get_by_role("button", name="完成").click()
    expect(page.locator("#step-1")).to_have_attribute("data-done", "1")
    restore = page.locator("#step-3 form[data-action='sitebuild.restore']")
    restore.locator("input[name=reason]").fill("恢复被篡改的公告页")
    restore.get_by_role("button").click()
    expect(page.locator(".messages")).to_contain_text("请确认后再执行")
    assert path.read_bytes() != original
    restore = page.locator("#step-3 form[data-action='sitebuild.restore']")
    restore.locator("input[name=reason]").fill("恢复被篡改的公告页")
    restore.get_by_label("确认执行").check()
    restore.get_by_role("button").click()
    expect(page.locator(".messages")).to_contain_text("已恢复")
    assert path.read_bytes() == original
    assert AuditEvent.objects.filter(action="incidents.action.run", extra__key="sitebuild.restore").exists()
    online = page.locator("#step-3 form[data-action='sitebuild.online']")
    online.locator("input[name=reason]").fill("已恢复并复查完好")
    online.get_by_label("确认执行").check()
    online.get_by_role("button").click()
    expect(page.locator(".messages")).to_contain_text("已恢复对外服务")
    up = page.request.get(live_server.url + article.url)
    assert up.status == 200 and "道路改造工程招标公告" in up.text()
    page.locator("#step-3 .step-form").get_by_role("button", name="完成").click()
    for status in ("contained", "recovered"):
        page.locator("#status-form select").select_option(status)
        page.locator("#status-form").get_by_role("button").click()

    # 第九条: the investigation report, a follow-up, the lead's sign-off, the PDF, closed.
    form = page.locator("#investigation-form")
    for name, text in [
        ("investigators", "安全管理员、信息中心专家"),
        ("cause", "发布目录写权限过宽"),
        ("nature", "网页篡改"),
        ("impact", "一个公告页面"),
        ("consequences", "篡改内容在线数分钟"),
        ("responsibility", "运维配置"),
        ("response_capability", "按时报告并恢复"),
        ("recovery", "从签名清单恢复"),
        ("lessons", "收紧目录权限"),
    ]:
        form.locator(f"[name={name}]").fill(text)
    form.get_by_role("button").click()
    expect(page.locator(".messages")).to_contain_text("调查报告已保存")
    page.locator("#follow-up-form input[name=text]").fill("收紧发布目录权限")
    page.locator("#follow-up-form input[name=due_on]").fill("2030-01-31")
    page.locator("#follow-up-form").get_by_role("button").click()
    expect(page.locator("#follow-ups")).to_contain_text("收紧发布目录权限")
    page.locator("#close-form").get_by_role("button").click()
    expect(page.locator(".messages")).to_contain_text("须提交调查报告并由领导小组组长签批")

    browser_login(other_page, live_server, lead)
    other_page.goto(live_server.url + f"/admin/incidents/{incident.pk}/")
    other_page.locator("#sign-off-form").get_by_role("button").click()
    expect(other_page.locator("#signed-off")).to_contain_text("zuzhang")
    href = other_page.locator("#report-pdf").get_attribute("href")
    response = other_page.request.get(live_server.url + href)
    assert response.status == 200 and response.body().startswith(b"%PDF")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.body())).pages)
    assert "发布目录写权限过宽" in re.sub(r"\s+", "", text)

    page.reload()
    page.locator("#close-form").get_by_role("button").click()
    expect(page.locator("#incident-status")).to_contain_text("已关闭")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    kinds = list(incident.timeline.values_list("kind", flat=True))
    assert kinds[0] == "opened" and kinds[-1] == "closed" and "action" in kinds and "report" in kinds
