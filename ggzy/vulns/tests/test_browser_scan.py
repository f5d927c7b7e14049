"""A yearly scan in Debian's Chromium (网络安全管理办法 二(一)(二)): the 网络管理员 writes
the plan; the 安全管理员 approves it in a second browser; a target outside the plan is
refused; nmap scans loopback and the open ports appear as findings; one is assigned;
its listener goes away, the rescan proposes it fixed and a person confirms it; the
three administrators analyse the rescan together and sign."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.vulns.choices import FindingStatus
from ggzy.vulns.models import Finding, ScanPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _local(when) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def test_plan_approved_scan_run_finding_assigned_and_closed_by_a_rescan(
    center, live_server, page, other_page, listeners
):
    network = make_user(RoleKey.NETWORK_ADMIN, username="wangluo")
    security = make_user(RoleKey.SECURITY_ADMIN, username="anquan")
    system = make_user(RoleKey.SYSTEM_ADMIN, username="xitong")
    web, admin = listeners(), listeners()
    web_port, admin_port = web.getsockname()[1], admin.getsockname()[1]
    now = timezone.now()

    # 1. The 网络管理员 describes the scan (二(二)); a scope that is not an address is refused.
    browser_login(page, live_server, network)
    page.get_by_role("button", name="运维管理").click()
    page.get_by_role("link", name="漏洞扫描", exact=True).click()
    page.get_by_role("link", name="编制扫描方案").click()
    page.get_by_label("名称").fill("2026 年度内网漏洞扫描")
    page.get_by_label("扫描范围").fill("oa.jzggzy.local")
    page.get_by_label("端口范围").fill(f"{web_port},{admin_port}")
    page.get_by_label("开始时间").fill(_local(now - dt.timedelta(minutes=5)))
    page.get_by_label("结束时间").fill(_local(now + dt.timedelta(hours=2)))
    page.get_by_label("预期影响").fill("连接扫描，限速每秒 100 包，对业务无明显影响")
    page.get_by_label("回退措施").fill("发现异常立即停止扫描")
    page.get_by_role("button", name="提交方案").click()
    expect(page.locator("main")).to_contain_text("无效的地址或网段：oa.jzggzy.local")
    assert not ScanPlan.objects.exists()
    page.get_by_label("扫描范围").fill("127.0.0.1/32")
    page.get_by_role("button", name="提交方案").click()
    expect(page.locator("#plan-state")).to_have_text("待安全管理员批准")
    expect(page.locator("#scan-form")).to_have_count(0)  # nothing runs before approval
    plan = ScanPlan.objects.get()

    # 2. The 安全管理员 approves in a second browser.
    browser_login(other_page, live_server, security)
    other_page.goto(f"{live_server.url}/admin/vulns/plans/{plan.pk}/")
    other_page.locator("#decide-form").get_by_label("意见").select_option(label="同意")
    other_page.get_by_role("button", name="提交审批意见").click()
    expect(other_page.locator("#plan-state")).to_have_text("已批准")

    # 3. A target outside the plan is refused; then the scan of loopback runs.
    page.reload()
    page.locator("#scan-form").get_by_label("扫描目标").fill("127.0.0.2")
    page.get_by_role("button", name="开始扫描").click()
    expect(page.locator(".messages")).to_contain_text("扫描目标超出批准的扫描范围：127.0.0.2/32")
    page.locator("#scan-form").get_by_label("扫描目标").fill("127.0.0.1")
    page.get_by_role("button", name="开始扫描").click()
    expect(page).to_have_url(re.compile(r"/admin/vulns/scans/\d+/$"))
    expect(page.locator("#scan-state")).to_have_text("已完成", timeout=60_000)
    expect(page.locator("#scan-progress")).to_have_attribute("value", "100")
    findings = page.locator("#scan-findings")
    expect(findings).to_contain_text(f"开放端口 {web_port}/tcp")
    expect(findings).to_contain_text(f"开放端口 {admin_port}/tcp")

    # 4. The finding of the admin port is assigned to the 系统管理员.
    findings.get_by_role("link", name=f"开放端口 {admin_port}/tcp").click()
    page.locator("#assign-form").get_by_label("责任人").select_option(label="xitong")
    page.locator("#assign-form").get_by_role("button", name="保存").click()
    expect(page.locator("#finding-owner")).to_have_text("xitong")

    # 5. The service is closed; the rescan proposes the finding fixed; a person confirms.
    admin.close()
    page.goto(f"{live_server.url}/admin/vulns/plans/{plan.pk}/")
    page.locator("#scan-form").get_by_label("扫描目标").fill("127.0.0.1")
    page.get_by_role("button", name="开始扫描").click()
    expect(page.locator("#scan-state")).to_have_text("已完成", timeout=60_000)
    finding = Finding.objects.get(port=admin_port)
    page.goto(f"{live_server.url}/admin/vulns/findings/{finding.pk}/")
    expect(page.locator("#finding-status")).to_have_text("复扫未见，待确认修复")
    page.locator("#close-form").get_by_label("处理结果").select_option(label="已修复")
    page.get_by_role("button", name="确认关闭").click()
    expect(page.locator("#finding-status")).to_contain_text("已修复")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.FIXED and finding.owner == system and finding.closed_by == network
    assert Finding.objects.get(port=web_port).status == FindingStatus.OPEN

    # 6. 二(一): the three administrators analyse the scan together and sign.
    rescan = finding.last_scan
    page.goto(f"{live_server.url}/admin/vulns/scans/{rescan.pk}/")
    page.locator("#analysis-form").get_by_label("结果综述").fill("本机开放 1 个 Web 端口；管理端口已关闭。")
    page.locator("#analysis-form").get_by_label("整改计划").fill("保持管理端口关闭，每季度复扫。")
    page.get_by_role("button", name="保存联合分析").click()
    expect(page.locator("#analysis")).to_contain_text("管理端口已关闭")
    page.get_by_role("button", name="签字确认").click()
    # The new page (not the old one unloading) before the next login writes to the
    # database: SQLite's shared test database refuses two writers at once.
    expect(page.locator(".messages")).to_contain_text("已保存")
    expect(page.locator("#analysis-form")).to_have_count(0)  # frozen at the first signature
    for person in (system, security):
        browser_login(other_page, live_server, person)
        other_page.goto(f"{live_server.url}/admin/vulns/scans/{rescan.pk}/")
        other_page.get_by_role("button", name="签字确认").click()
        expect(other_page.locator(".messages")).to_contain_text("已保存")
    expect(other_page.locator("#analysis-state")).to_have_text("三方签字完成")
