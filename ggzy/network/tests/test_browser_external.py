"""In Debian's Chromium (网络安全管理办法 二(七)(九)): the 网络管理员 registers the internet
connection with its interconnection point, policy, firewall and address translation;
the 安全管理员 approves it with a reason; the clause check turns met. The registrant
is never offered the decision."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ggzy.accounts.tests.browser import browser_login
from ggzy.compliance.registry import all_checks
from ggzy.network.models import Device, ExternalConnection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_internet_connection_registered_by_the_network_admin_and_approved_by_the_security_admin(
    live_server, page, other_page, team
):
    Device.objects.create(name="出口防火墙", kind="firewall", platform="huawei_vrp")
    check = all_checks()["network.external_connections_authorised"]
    assert check.func(today=dt.date.today()).status == "no_data"

    browser_login(page, live_server, team.network_admin)
    page.goto(live_server.url + "/admin/network/connections/")
    page.get_by_role("link", name="登记外联").click()
    page.get_by_label("外联名称").fill("互联网出口")
    page.get_by_label("外联种类").select_option(label="互联网接入")
    page.get_by_label("对端单位/系统").fill("中国电信")
    page.get_by_label("互连点设备").select_option(label="出口防火墙")
    page.get_by_label("连接策略").fill("仅出站 HTTPS；入站只到门户反向代理的 443 端口")
    page.get_by_label("互连点部署防火墙").check()
    page.get_by_label("纳入网管监控").check()
    review = (timezone.localdate() + dt.timedelta(days=180)).isoformat()
    page.get_by_label("复核日期").fill(review)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#connection-state")).to_contain_text("待审批")
    expect(page.locator("#missing")).to_contain_text("地址转换（NAT）")
    expect(page.get_by_role("button", name="提交审批")).to_have_count(0)  # not their own
    assert check.func(today=dt.date.today()).status == "failing"

    # 二(九)1: the address translation declared before the 安全管理员 can approve.
    page.get_by_role("link", name="修改").click()
    page.get_by_label("互连点防火墙做地址转换（NAT）").check()
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#connection-state")).to_contain_text("待审批")
    expect(page.locator("#missing")).to_have_count(0)
    url = page.url

    browser_login(other_page, live_server, team.security_admin)
    other_page.goto(url)
    other_page.locator("select[name=approve]").select_option(label="批准")
    other_page.get_by_role("button", name="提交审批").click()
    expect(other_page.locator("main")).to_contain_text("审批须说明理由")
    other_page.get_by_label("审批意见").fill("防火墙与地址转换已核实，同意接入")
    other_page.get_by_role("button", name="提交审批").click()
    expect(other_page.locator("#connection-state")).to_contain_text("已批准")

    connection = ExternalConnection.objects.get()
    assert connection.approver == team.security_admin and connection.registered_by == team.network_admin
    assert check.func(today=dt.date.today()).status == "met"
