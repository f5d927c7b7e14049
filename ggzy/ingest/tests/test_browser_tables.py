"""An editor inserts a table from an .xlsx into an article body through the
Draftail toolbar, and the published page shows it (issue 6), in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.ingest.models import SpreadsheetTable
from ggzy.portal.models import ArticlePage
from ggzy.portal.tests.factories import column
from ggzy.publishing.services import submit_for_review
from ggzy.publishing.tests.factories import approve
from ggzy.screening.tests import documents as d

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_inserts_an_xlsx_table_and_the_published_page_shows_it(center, live_server, page, tmp_path):
    drafter = make_user(R.DRAFTER, department="jianshe")
    workbook = tmp_path / "kaibiao.xlsx"
    workbook.write_bytes(d.tender_workbook())
    target = column("zlxz/bgxz")

    browser_login(page, live_server, drafter)
    page.goto(f"{live_server.url}/admin/pages/add/portal/articlepage/{target.pk}/")
    page.locator("#id_title").fill("开标记录公示")
    page.locator(".Draftail-Editor [contenteditable='true']").first.click()
    page.keyboard.type("Bid opening record:")  # Draft.js ignores Playwright's CJK typing
    page.keyboard.press("Enter")

    # Draftail's block menu ("+" beside an empty line) lists the table feature.
    page.get_by_role("button", name="插入块").click()  # Draftail's "Insert a block" (ggzy's djangojs catalog)
    page.get_by_role("option", name=re.compile("插入 Excel 表格")).click()
    modal = page.locator(".modal-dialog")
    modal.locator("input[type=file]").set_input_files(str(workbook))
    modal.get_by_role("button", name="上传").click()
    expect(modal.locator("select[name=sheet]")).to_be_visible()
    modal.locator("select[name=sheet]").select_option("开标记录")
    modal.locator("input[name=caption]").fill("开标记录表")
    modal.get_by_role("button", name="插入表格").click()

    block = page.locator(".Draftail-Editor .xlsx-table-block")
    expect(block).to_contain_text("开标记录表")
    expect(block).to_contain_text("kaibiao.xlsx")
    table = SpreadsheetTable.objects.get()
    expect(page.locator("input[name=body]")).to_have_value(re.compile(r"XLSX_TABLE"))
    page.locator("footer").get_by_role("button", name=re.compile("^保存草稿")).click()
    expect(page.locator(".messages")).to_contain_text("开标记录公示")

    article = ArticlePage.objects.get(title="开标记录公示")
    body = article.get_latest_revision_as_object().body
    assert f'<embed embedtype="xlsxtable" id="{table.pk}"/>' in body and "Bid opening record:" in body

    # Through the column's chain (its own browser test walks that), then the public page.
    submit_for_review(page=article, actor=drafter)
    for role in (R.DEPARTMENT_HEAD, R.REVIEW_GROUP, R.LEADER, R.PUBLISHER):
        approve(article, make_user(role, department="jianshe" if role == R.DEPARTMENT_HEAD else "xinxi"))
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live
    page.goto(live_server.url + article.url)
    published = page.get_by_role("table", name="开标记录表")
    expect(published).to_be_visible()
    expect(published.get_by_role("columnheader", name="报价（元）")).to_be_visible()
    expect(published.get_by_role("cell", name="1,234,567.89")).to_be_visible()
