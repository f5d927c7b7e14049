"""In Debian's Chromium (网络安全管理办法 四(四)): the 网络管理员 backs up a device whose
configuration changed with no change record, records the change after the fact with
the reason; the 安全管理员 approves it; the clause check turns met and the alert clears.
The regulation names no approver for configuration changes; the 安全管理员 approves
(rules.may_approve), never the person who recorded the change."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ggzy.accounts.tests.browser import browser_login
from ggzy.compliance.registry import all_checks
from ggzy.incidents.models import Alert
from ggzy.network import services

from .conftest import HUAWEI

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unapproved_change_recorded_by_the_network_admin_and_approved_by_the_security_admin(
    live_server, page, other_page, team, make_device, fake_devices
):
    device = make_device()
    assert services.pull_device(device=device).outcome == "ok"
    check = all_checks()["network.changes_recorded"]
    changed = HUAWEI.replace("#\nreturn", "#\nundo telnet server enable\n#\nreturn")
    fake_devices.set("huawei_vrp", running=changed, saved=changed)

    browser_login(page, live_server, team.network_admin)
    page.goto(live_server.url + f"/admin/network/devices/{device.pk}/")
    expect(page.locator("#mgmt-address")).to_contain_text("127.0.0.1")
    page.get_by_role("button", name="立即备份配置").click()
    expect(page.locator("#versions")).to_contain_text("未经批准的变更")
    assert Alert.objects.filter(source="network", status="open").count() == 1
    assert check.func(today=dt.date.today()).status == "failing"

    # The running and the saved version found together: one change covers both.
    page.locator("#versions").get_by_role("link", name="补登变更").first.click()
    page.get_by_label("变更内容").fill("关闭 telnet 服务")
    page.get_by_label("变更原因").fill("七(一)：远程登录只用 SSH")
    page.get_by_label("计划时间").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="登记变更").click()
    expect(page.locator("main")).to_contain_text("补登须说明")
    page.get_by_label("补登原因").fill("夜间故障处理，未及事先登记")
    page.get_by_role("button", name="登记变更").click()
    expect(page.locator("#change-state")).to_contain_text("待批准")
    expect(page.get_by_role("button", name="提交审批")).to_have_count(0)  # not their own
    url = page.url

    browser_login(other_page, live_server, team.security_admin)
    other_page.goto(url)
    other_page.locator("select[name=approve]").select_option(label="批准")
    other_page.get_by_label("审批意见").fill("同意补登")
    other_page.get_by_role("button", name="提交审批").click()
    expect(other_page.locator("#change-state")).to_contain_text("已批准")

    assert check.func(today=dt.date.today()).status == "met"
    assert not Alert.objects.filter(source="network", status="open").exists()
    page.goto(live_server.url + f"/admin/network/devices/{device.pk}/")
    expect(page.locator("#versions")).not_to_contain_text("未经批准的变更")
    expect(page.locator("#versions")).to_contain_text("关闭 telnet 服务")
