"""Staff departure in Debian's Chromium (人员离岗离职信息安全管理规定): the
系统管理员 starts it from 离岗离职, the account is disabled at once (第一条), the
checklist lists the device accounts to hand over (第二条), the printable form
is a PDF naming the person, and the person can no longer sign in."""

import io
import re

import pypdf
import pytest
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import User
from ggzy.accounts.tests.browser import browser_login, open_settings_item, submit_login
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.departures.models import Departure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_system_admin_starts_a_departure_and_the_person_is_locked_out(center, live_server, page, other_page):
    admin = make_user(RoleKey.SYSTEM_ADMIN, username="xitong")
    leaving = make_user(RoleKey.DRAFTER, username="liming", first_name="李明")
    browser_login(other_page, live_server, leaving)  # still signed in somewhere
    browser_login(page, live_server, admin)

    open_settings_item(page, "离岗离职")
    expect(page).to_have_url(re.compile(r"/admin/departures/$"))
    expect(page.locator("main")).to_contain_text("暂无离岗离职手续。")
    page.get_by_role("link", name="办理离岗离职").click()
    expect(page.locator("main")).to_contain_text("提交后立即停用该人员的账号")
    page.get_by_label("人员").select_option(label="李明")  # people by their names (issue 20)
    page.get_by_label("类型").select_option(label="离职")
    page.get_by_label("说明").fill("调离本中心")
    page.locator("#id_device_accounts").fill("核心交换机 admin\n门户服务器 root\n")
    page.get_by_role("button", name="停用账号并开始办理").click()

    departure = Departure.objects.get(user=leaving)
    expect(page).to_have_url(re.compile(rf"/admin/departures/{departure.pk}/$"))
    expect(page.locator(".messages")).to_contain_text("已停用 李明 的账号并撤销其全部角色。")
    expect(page.locator("#departure-status")).to_have_text("办理中")
    items = page.locator("#departure-items tbody tr")
    expect(items).to_have_count(6)  # two device accounts + the four other handovers and returns
    expect(items.filter(has_text="核心交换机 admin")).to_have_count(1)
    expect(items.filter(has_text="门户服务器 root")).to_have_count(1)
    expect(items.filter(has_text="归还计算机及其他属于本单位的财物")).to_have_count(1)
    expect(items.filter(has_text="待科室负责人确认")).to_have_count(6)  # the 系统管理员 does not sign off
    leaving.refresh_from_db()
    assert not leaving.is_active and not leaving.groups.exists()
    assert departure.removed_groups and departure.started_by == admin
    expect(page.locator("main")).to_contain_text(departure.removed_groups[0])
    started = AuditEvent.objects.get(action="accounts.departure.started")
    assert started.actor == admin and started.object_id == str(leaving.pk)
    assert started.extra["sessions_ended"] == 1

    # The printable form: a PDF with the person's name and the accounts to hand over.
    href = page.get_by_role("link", name="下载离岗离职交接单（PDF）").get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(body)).pages)
    squeezed = re.sub(r"\s+", "", text)  # table cells wrap where the layout puts them
    assert "姓名 / 用户名 李明 liming" in text
    for expected in ("离岗离职信息安全交接单", "类型离职", "核心交换机admin", "门户服务器root"):
        assert expected in squeezed, (expected, text)

    open_settings_item(page, "离岗离职")
    row = page.locator("#departures tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("李明")
    expect(row).to_contain_text("办理中")

    # The person's open session ended, and the right password no longer works.
    other_page.reload()
    expect(other_page).to_have_url(re.compile(r"/admin/login/"))
    submit_login(other_page, "liming")
    expect(other_page).to_have_url(re.compile(r"/admin/login/"))
    expect(other_page.locator("main")).to_contain_text("密码不匹配，请重试")
    expect(other_page.locator("#id_password")).to_be_visible()
    assert not User.objects.get(pk=leaving.pk).is_active
