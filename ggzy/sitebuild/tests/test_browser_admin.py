"""The 网站管理员 opens 网站管理 → 网页防篡改检查 and a tampered check, in Chromium."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.sitebuild.models import TamperCheck

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_website_admin_opens_a_tampered_check_from_the_menu(center, live_server, page):
    now = timezone.now()
    common = {"root": "/srv/ggzy/site", "files_checked": 77, "duration_ms": 95}
    TamperCheck.objects.create(checked_at=now - timedelta(minutes=10), intact=True, **common)
    tampered = TamperCheck.objects.create(
        checked_at=now - timedelta(minutes=5),
        intact=False,
        modified=["jyxx/jsgc/zbgg/index.html"],
        modified_count=1,
        added=["jyxx/evil.html"],
        added_count=1,
        restored=True,
        intact_after_restore=True,
        **common,
    )
    TamperCheck.objects.create(checked_at=now - timedelta(minutes=1), intact=True, **common)
    stamp = timezone.localtime(tampered.checked_at).strftime("%Y-%m-%d %H:%M:%S")

    browser_login(page, live_server, make_user(RoleKey.WEBSITE_ADMIN, department="xinxi"))
    page.get_by_role("button", name="网站管理").click()
    page.get_by_role("link", name="网页防篡改检查").click()
    expect(page).to_have_url(re.compile(r"/admin/site/tamper-checks/$"))
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(4)  # the header and three checks
    expect(table.get_by_text("被篡改", exact=True)).to_have_count(1)
    expect(table.get_by_text("正常", exact=True)).to_have_count(2)
    expect(page.locator("#tamper-check-stale")).to_have_count(0)  # the last check is a minute old
    expect(page.get_by_role("link", name=re.compile("新增|添加"))).to_have_count(0)

    table.get_by_role("link", name=stamp).click()
    expect(page).to_have_url(re.compile(rf"/admin/site/tamper-checks/inspect/{tampered.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text(
        "本次检查发现网页被篡改，已从数据库重新生成，恢复后复核完好"
    )
    modified = page.get_by_role("region", name="被修改的文件（共 1 个）")
    expect(modified.get_by_role("listitem")).to_have_text(["jyxx/jsgc/zbgg/index.html"])
    expect(page.get_by_role("region", name="新增的文件（共 1 个）")).to_contain_text("jyxx/evil.html")
    expect(page.get_by_role("region", name="缺失的文件（共 0 个）")).to_contain_text("无")
