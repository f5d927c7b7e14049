"""The 网站管理员 downloads the monthly website report from 网站管理 → 网站月报, in Chromium."""

import hashlib
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.sitebuild.website_report import previous_month, website_report_store

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_website_admin_downloads_a_report(center, live_server, page):
    year, month = previous_month(timezone.localdate())
    stored = website_report_store(year=year, month=month)

    browser_login(page, live_server, make_user(RoleKey.WEBSITE_ADMIN, department="xinxi"))
    page.get_by_role("button", name="网站管理").click()
    page.get_by_role("link", name="网站月报").click()
    expect(page).to_have_url(re.compile(r"/admin/site/website-reports/$"))
    expect(page.get_by_label("月份（YYYY-MM）")).to_have_value(f"{year}-{month:02d}")

    with page.expect_download() as info:
        page.get_by_role("button", name="下载 PDF").click()
    download = info.value
    assert download.suggested_filename == f"website-report-{year}-{month:02d}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    row = page.locator("#stored-website-reports tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(stored.pdf_sha256)
    with page.expect_download() as info:
        row.get_by_role("link", name="Excel 文件").click()
    body = Path(info.value.path()).read_bytes()
    assert hashlib.sha256(body).hexdigest() == stored.xlsx_sha256
    assert AuditEvent.objects.filter(action="sitebuild.website_report.exported").count() == 2
