"""The 网站管理员 reads the 信息发布日志 in Chromium: filters it by department,
opens a record, downloads its 信息发布审批表 (PDF) and exports the log (xlsx).
信息发布管理制度 (十)."""

import io
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.portal.tests.factories import column
from ggzy.publishing.models import PublicationRecord
from ggzy.publishing.services import submit_for_review
from ggzy.publishing.tests.factories import approve, draft_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROCUREMENT = "某单位办公设备采购公告"
CONSTRUCTION = "某道路工程施工招标公告"


def published_through_the_chain(department, target, title, publisher) -> PublicationRecord:
    drafter = make_user(R.DRAFTER, department=department)
    head = make_user(R.DEPARTMENT_HEAD, department=department)
    article = draft_article(column(target), drafter, title)
    submit_for_review(page=article, actor=drafter)
    approve(article, head, comment="内容属实")
    approve(article, make_user(R.REVIEW_GROUP, department="zonghe"))  # 审核制度 (四)
    approve(article, publisher)
    return PublicationRecord.objects.get(page=article)


def test_website_admin_filters_the_log_downloads_the_approval_form_and_exports(center, live_server, page):
    publisher = make_user(R.PUBLISHER)
    with time_machine.travel(datetime(2026, 11, 26, 10, 20, tzinfo=ZoneInfo("Asia/Shanghai"))):
        record = published_through_the_chain("caigou", "jyxx/zfcg/cggg", PROCUREMENT, publisher)
        published_through_the_chain("jianshe", "jyxx/jsgc/zbgg", CONSTRUCTION, publisher)
    admin = make_user(R.WEBSITE_ADMIN)

    browser_login(page, live_server, admin)
    page.get_by_role("button", name="信息发布").click()
    page.get_by_role("link", name="信息发布日志").click()
    expect(page).to_have_url(re.compile(r"/admin/publishing/records/$"))
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name=PROCUREMENT)).to_be_visible()
    expect(table.get_by_role("link", name=CONSTRUCTION)).to_be_visible()

    # Records are named in the center's time, not UTC.
    expect(table.get_by_role("button", name=re.compile(r"\(2026-11-26 10:20\)"))).to_have_count(2)
    page.get_by_role("button", name="显示过滤器").click()
    page.get_by_role("button", name="来源科室").click()
    page.get_by_role("combobox", name="来源科室").select_option(label="政府采购交易科")
    expect(table.get_by_role("link", name=CONSTRUCTION)).to_have_count(0)
    expect(table.get_by_role("link", name=PROCUREMENT)).to_be_visible()

    # The filtered log as xlsx: the one record, recorded as an export with its filter.
    with page.expect_download() as download:
        page.get_by_role("navigation", name="操作", exact=True).get_by_role(
            "button", name="动作", exact=True
        ).click()
        page.get_by_role("link", name=re.compile("XLSX", re.I)).click()
    rows = list(
        load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active.iter_rows(values_only=True)
    )
    assert len(rows) == 2 and rows[1][0] == PROCUREMENT and rows[1][2] == "政府采购交易科"
    export = AuditEvent.objects.get(action="publishing.publicationrecord.exported")
    assert export.actor == admin and export.extra["rows"] == 1
    assert export.extra["filters"] == {"department": str(record.department_id)}

    table.get_by_role("link", name=PROCUREMENT).click()
    expect(page).to_have_url(re.compile(rf"/admin/publishing/records/inspect/{record.pk}/$"))
    expect(page.locator("main")).to_contain_text("政府采购交易科")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载审批表（PDF）").click()
    assert download.value.suggested_filename == f"approval-{record.pk}.pdf"
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "信息发布审批表" in text and PROCUREMENT in text and "内容属实" in text
    event = AuditEvent.objects.get(action="publishing.approval_form.exported")
    assert event.actor == admin and event.object_id == str(record.pk)
