"""Software on a computer in Debian's Chromium (网络与系统安全维护管理制度 二(二)): the
网络管理员 imports a computer's installed programs, sees the one 信息科 never allowed,
adds the work program to the list of allowed software, and the computer turns 合规 once
the other is removed and the computer is inventoried again."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.assets.tests.factories import asset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inventory_imported_list_kept_and_the_computer_compliant(center, live_server, page, tmp_path):
    network = make_user(RoleKey.NETWORK_ADMIN, username="wangluo")
    computer = asset(network, kind="desktop", number="ZC-2026-0501")
    day = timezone.localdate().isoformat()
    first = tmp_path / "first.csv"
    first.write_text(
        "asset_number,taken_on,name,version,publisher\n"
        f"ZC-2026-0501,{day},WPS Office 2023,12.8,金山办公\n"
        f"ZC-2026-0501,{day},某某游戏大厅,3.1,某某\n",
        encoding="utf-8",
    )
    again = tmp_path / "again.csv"
    again.write_text(
        f"asset_number,taken_on,name,version,publisher\nZC-2026-0501,{day},WPS Office 2023,12.8,金山办公\n",
        encoding="utf-8",
    )

    browser_login(page, live_server, network)
    page.goto(f"{live_server.url}/admin/vulns/endpoints/")
    expect(page.locator(f"#endpoint-{computer.pk} .endpoint-software")).to_have_text("未清点已安装软件")
    page.get_by_role("link", name="导入软件清点 CSV").click()
    page.get_by_label("CSV 文件").set_input_files(str(first))
    page.get_by_role("button", name="导入").click()
    expect(page.locator(f"#endpoint-{computer.pk} .endpoint-software")).to_contain_text("WPS Office 2023")

    page.get_by_role("link", name="准许安装的软件", exact=True).first.click()
    page.get_by_role("link", name="新增").click()
    page.get_by_label("软件名称").fill("WPS Office*")
    page.get_by_label("工作用途").fill("公文处理")
    page.get_by_role("button", name="保存").click()
    page.goto(f"{live_server.url}/admin/vulns/endpoints/{computer.pk}/software/")
    expect(page.locator("#inventory-summary")).to_contain_text("1 款未经准许")
    expect(page.locator("tr.unapproved")).to_contain_text("某某游戏大厅")

    page.goto(f"{live_server.url}/admin/vulns/endpoints/software-import/")
    page.get_by_label("CSV 文件").set_input_files(str(again))
    page.get_by_role("button", name="导入").click()
    expect(page.locator(f"#endpoint-{computer.pk} .endpoint-software")).to_have_text("合规")
