"""Tables from .xlsx in rich text (issue 6): the editor's modal upload, the
screening gate, the embed on the public site (dynamic and static), screening
and the content hash of the publication record."""

import hashlib
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.rich_text import expand_db_html

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.ingest.models import SpreadsheetTable, SpreadsheetUpload
from ggzy.ingest.services import spreadsheet_table_create, spreadsheet_upload
from ggzy.portal.models import ARTICLE_FEATURES, ArticlePage
from ggzy.portal.tests.factories import column
from ggzy.publishing.models import PublicationRecord
from ggzy.publishing.services import content_digest, submit_for_review
from ggzy.publishing.tests.factories import draft_article
from ggzy.screening.models import LexiconEntry
from ggzy.screening.pagescreen import page_findings
from ggzy.screening.tests import documents as d
from ggzy.screening.tests.helpers import publish_through_chain, resident_id

pytestmark = pytest.mark.django_db

ID = resident_id()
MOBILE = "13912345678"


@pytest.fixture
def drafter():
    return make_user(R.DRAFTER, department="jianshe")


def make_table(user, data=None, *, sheet="开标记录", caption="开标记录表", header_rows=1):
    source, _ = spreadsheet_upload(
        upload=SimpleUploadedFile("开标记录.xlsx", data or d.tender_workbook()), actor=user
    )
    return spreadsheet_table_create(
        source=source, sheet=sheet, caption=caption, header_rows=header_rows, actor=user
    )


def embed(table) -> str:
    return f'<p>开标结果如下。</p><embed embedtype="xlsxtable" id="{table.pk}"/>'


# --------------------------------------------------------------------------- the modal (HTTP)


def test_modal_uploads_picks_a_sheet_and_returns_the_table(client, drafter):
    login_as(client, drafter)
    first = client.get(reverse("ingest_table_chooser")).json()
    assert first["step"] == "upload" and 'type="file"' in first["html"]

    data = d.tender_workbook()
    second = client.post(
        reverse("ingest_table_chooser"), {"file": SimpleUploadedFile("开标记录.xlsx", data)}
    ).json()
    assert second["step"] == "sheet"
    assert '<option value="说明"' in second["html"] and '<option value="开标记录"' in second["html"]
    source = SpreadsheetUpload.objects.get()
    assert source.sha256 == hashlib.sha256(data).hexdigest() and source.uploaded_by == drafter
    with source.file.open("rb") as handle:
        assert handle.read() == data  # the original, archived as uploaded

    third = client.post(
        reverse("ingest_table_chooser_sheet", args=[source.pk]),
        {"sheet": "开标记录", "caption": "开标记录表", "header_rows": "1"},
    ).json()
    assert third["step"] == "chosen"
    table = SpreadsheetTable.objects.get(pk=third["table"]["id"])
    assert third["table"]["caption"] == "开标记录表" and third["table"]["sheet"] == "开标记录"
    assert table.created_by == drafter and table.source == source
    assert "<caption>开标记录表</caption>" in table.html
    assert '<th scope="colgroup" colspan="2">投标人</th>' in table.html
    assert '<th scope="col">报价（元）</th>' in table.html
    assert "<td>1,234,567.89</td><td>12.5%</td><td>2026年11月25日</td>" in table.html
    assert AuditEvent.objects.filter(action="screening.spreadsheet.uploaded", actor=drafter).exists()
    assert AuditEvent.objects.filter(action="screening.spreadsheet_table.created", actor=drafter).exists()


def refused(client, name, data):
    response = client.post(reverse("ingest_table_chooser"), {"file": SimpleUploadedFile(name, data)})
    payload = response.json()
    assert payload["step"] == "upload"  # still the upload form, with the error
    return payload["html"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("报价.xlsx", b"MZ" + b"\x00" * 128, "内容为可执行程序"),
        ("报价.xlsx", d.xlsx_bomb(), "压缩炸弹"),
        ("报价.xlsx", d.docx(paragraphs=("正文",)), "内容为Word 文档"),
    ],
)
def test_modal_refuses_bad_files_and_writes_nothing(client, drafter, settings, name, data, message):
    login_as(client, drafter)
    assert message in refused(client, name, data)
    assert not SpreadsheetUpload.objects.exists() and not SpreadsheetTable.objects.exists()
    assert not (settings.MEDIA_ROOT / "spreadsheets").exists()
    event = AuditEvent.objects.get(action="screening.spreadsheet.refused")
    assert event.outcome == "failure" and event.actor_id == drafter.pk


def test_an_id_number_in_a_cell_blocks_the_insert_and_is_shown_masked(client, drafter, settings):
    login_as(client, drafter)
    html = refused(client, "名单.xlsx", d.tender_workbook(extra_rows=(("联系人", ID),)))
    assert "pii.id_card" in html and ID[:3] in html
    assert ID not in html
    assert not SpreadsheetUpload.objects.exists()
    assert ID not in json.dumps(list(AuditEvent.objects.values("after", "extra")), ensure_ascii=False)


def test_modal_needs_the_permission(client):
    login_as(client, make_user(R.REVIEW_GROUP))  # reviews, does not draft
    response = client.post(
        reverse("ingest_table_chooser"), {"file": SimpleUploadedFile("a.xlsx", d.tender_workbook())}
    )
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")  # Wagtail's refusal
    assert not SpreadsheetUpload.objects.exists()


def test_sheet_step_checks_its_input(client, drafter):
    login_as(client, drafter)
    source, _ = spreadsheet_upload(upload=SimpleUploadedFile("a.xlsx", d.tender_workbook()), actor=drafter)
    url = reverse("ingest_table_chooser_sheet", args=[source.pk])
    payload = client.post(url, {"sheet": "开标记录", "caption": "  ", "header_rows": "9"}).json()
    assert payload["step"] == "sheet"
    assert "必需字段" in payload["html"] and "小于或等于5" in payload["html"]
    payload = client.post(url, {"sheet": "不存在", "caption": "表", "header_rows": "1"}).json()
    assert payload["step"] == "sheet" and not SpreadsheetTable.objects.exists()
    with pytest.raises(ValidationError, match="工作表"):
        spreadsheet_table_create(source=source, sheet="不存在", caption="表", header_rows=1, actor=drafter)


def test_editing_a_table_offers_its_sheet_and_makes_a_new_table(client, drafter):
    login_as(client, drafter)
    table = make_table(drafter)
    payload = client.get(reverse("ingest_table_chooser_edit", args=[table.pk])).json()
    assert payload["step"] == "sheet" and 'value="开标记录表"' in payload["html"]
    with pytest.raises(PermissionDenied):
        table.caption = "改过的标题"
        table.save()  # a table under a live page never changes behind its chain


# --------------------------------------------------------------------------- editor format


def test_draftail_round_trip_keeps_the_embed(drafter):
    table = make_table(drafter)
    converter = ContentstateConverter(ARTICLE_FEATURES)
    contentstate = json.loads(converter.from_database_format(embed(table)))
    entity = next(iter(contentstate["entityMap"].values()))
    assert entity["type"] == "XLSX_TABLE" and entity["mutability"] == "IMMUTABLE"
    assert entity["data"]["caption"] == "开标记录表" and entity["data"]["filename"] == "开标记录.xlsx"
    back = converter.to_database_format(json.dumps(contentstate))
    assert f'<embed embedtype="xlsxtable" id="{table.pk}"/>' in back


def test_the_article_editor_offers_the_feature(client, drafter):
    login_as(client, drafter)
    article = draft_article(column("jyxx/jsgc/zbgg"), drafter, "开标结果")
    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert "ingest/js/xlsx-table.js" in html and "XLSX_TABLE" in html


# --------------------------------------------------------------------------- public site


def test_published_page_shows_the_accessible_table(client, drafter):
    table = make_table(drafter)
    article = draft_article(column("jyxx/jsgc/zbgg"), drafter, "某工程开标结果", body=embed(table))
    article, _ = publish_through_chain(article, drafter)
    html = client.get(article.url).content.decode()
    assert '<div class="rich-table" role="region" tabindex="0" aria-label="开标记录表">' in html
    assert "<caption>开标记录表</caption>" in html and '<th scope="col">报价（元）</th>' in html
    assert '<th scope="colgroup" colspan="2">投标人</th>' in html
    assert "<td>1,234,567.89</td>" in html and "embedtype" not in html

    from ggzy.sitebuild.rendering import render_page

    static = render_page(article).decode()  # the static build renders the same
    assert "<caption>开标记录表</caption>" in static and "<td>1,234,567.89</td>" in static


def test_tables_of_a_body_are_fetched_in_one_query(drafter, django_assert_num_queries):
    tables = [make_table(drafter, caption=f"表{i}") for i in range(3)]
    body = "".join(embed(t) for t in tables)
    with django_assert_num_queries(1):
        html = expand_db_html(body)
    assert re.findall(r"<caption>(.*?)</caption>", html) == ["表0", "表1", "表2"]


def test_publication_record_hashes_the_table_and_archives_the_workbook(drafter):
    data = d.tender_workbook()
    table = make_table(drafter, data)
    article = draft_article(column("jyxx/jsgc/zbgg"), drafter, "开标结果", body=embed(table))
    article, _ = publish_through_chain(article, drafter)
    record = PublicationRecord.objects.get(page=article)
    assert record.content_sha256 == content_digest(record.revision)
    spreadsheets = [m for m in record.materials if m["kind"] == "spreadsheet"]
    assert [m["sha256"] for m in spreadsheets] == [hashlib.sha256(data).hexdigest()]
    # The hash covers the table's HTML, not only its id in the body.
    SpreadsheetTable.objects.filter(pk=table.pk).update(
        html="<table><tbody><tr><td>改</td></tr></tbody></table>"
    )
    assert content_digest(record.revision) != record.content_sha256


def test_content_hash_without_tables_is_unchanged(drafter):
    article = draft_article(column("jyxx/jsgc/zbgg"), drafter, "普通信息")
    revision = article.get_latest_revision()
    payload = json.dumps(revision.content, sort_keys=True, ensure_ascii=False, default=str)
    assert content_digest(revision) == hashlib.sha256(payload.encode()).hexdigest()


# --------------------------------------------------------------------------- screening


def test_screening_sees_the_table_text(drafter):
    table = make_table(drafter, d.tender_workbook(extra_rows=(("联系电话", MOBILE),)))
    findings = page_findings({"body": embed(table)})["body"]
    mobile = [f for f in findings if f.rule == "pii.mobile"]
    assert mobile and MOBILE not in mobile[0].excerpt


def test_a_term_added_to_the_lexicon_later_blocks_the_page_with_the_table(drafter):
    table = make_table(drafter)
    article = draft_article(column("jyxx/jsgc/zbgg"), drafter, "开标结果", body=embed(table))
    LexiconEntry.objects.create(category="rumour", term="甲建设有限公司", severity="block")
    with pytest.raises(ValidationError, match=r"lexicon\.rumour"):
        submit_for_review(page=article, actor=drafter)
    assert ArticlePage.objects.get(pk=article.pk).current_workflow_state is None
