"""Ingestion: .docx → page body (sanitised to the editor's features, images as
Wagtail images without EXIF), .xlsx → table (merged cells, formats as shown)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.images import get_image_model

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.ingest.convert import docx_to_rich_text, format_cell, xlsx_to_table_html
from ggzy.ingest.services import article_fill_from_docx
from ggzy.portal.models import ARTICLE_FEATURES, ArticlePage
from ggzy.portal.tests.factories import column
from ggzy.screening.pagescreen import page_findings
from ggzy.screening.tests import documents as d
from ggzy.screening.tests.helpers import resident_id


def png_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    buffer = io.BytesIO()
    Image.new("RGB", (5, 5), "blue").save(buffer, format="PNG", exif=exif.tobytes())
    return buffer.getvalue()


def test_docx_becomes_rich_text_within_the_editor_features():
    body = (
        d.heading("一、项目概况")
        + "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>加粗</w:t></w:r>"
        + '<w:r><w:t xml:space="preserve"> 普通</w:t></w:r></w:p>'
        + d.p("<script>alert(1)</script>")
    )
    data = d.docx(body, files={"word/styles.xml": d.STYLES})
    result = docx_to_rich_text(data, features=ARTICLE_FEATURES)
    assert "<h2>一、项目概况</h2>" in result.html
    assert "<b>加粗</b>" in result.html or "<strong>加粗</strong>" in result.html
    assert "<script" not in result.html and "&lt;script&gt;" in result.html


def test_docx_tables_become_paragraphs_with_a_message():
    table = "<w:tbl><w:tr><w:tc>" + d.p("甲") + "</w:tc><w:tc>" + d.p("乙") + "</w:tc></w:tr></w:tbl>"
    result = docx_to_rich_text(d.docx(table), features=ARTICLE_FEATURES)
    assert "<table" not in result.html and "甲" in result.html and "乙" in result.html
    assert any("Excel" in m for m in result.messages)


@pytest.mark.django_db
def test_docx_images_are_saved_and_embedded():
    saved = []

    def save_image(raw, kind, alt):
        saved.append((raw, kind, alt))
        return 41 + len(saved)

    data = d.docx(
        d.picture("rId5", alt="现场照片") + d.picture("rId6"),
        files={
            "word/_rels/document.xml.rels": d.image_rels(rId5="media/image1.png", rId6="media/image2.png"),
            "word/media/image1.png": png_with_exif(),
            "word/media/image2.png": png_with_exif(),
        },
    )
    result = docx_to_rich_text(data, features=ARTICLE_FEATURES, save_image=save_image)
    assert [s[1:] for s in saved] == [("png", "现场照片"), ("png", "")]
    assert all(b"CameraMaker" not in raw for raw, _, _ in saved)  # EXIF stripped
    assert 'embedtype="image"' in result.html and 'id="42"' in result.html and 'alt="现场照片"' in result.html
    assert result.images_without_alt == 1 and any("替代文字" in m for m in result.messages)
    # the editor refuses submission until alt text is given
    assert "image.alt_missing" in {f.rule for fs in page_findings({"body": result.html}).values() for f in fs}


@pytest.mark.django_db
def test_article_fill_from_docx_saves_a_draft_revision(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    actor = make_user(RoleKey.DRAFTER)
    page = column("zxdt/ztxx").add_child(instance=ArticlePage(title="导入测试", body="<p>旧</p>", live=False))
    data = d.docx(
        d.heading("标题") + d.p("正文内容") + d.picture("rId5", alt="图一"),
        files={
            "word/styles.xml": d.STYLES,
            "word/_rels/document.xml.rels": d.image_rels(rId5="media/image1.png"),
            "word/media/image1.png": png_with_exif(),
        },
    )
    result = article_fill_from_docx(page=page, upload=SimpleUploadedFile("材料.docx", data), actor=actor)
    assert len(result.check.sha256) == 64 and result.check.kind == "docx"
    revision = page.get_latest_revision_as_object()
    assert "正文内容" in revision.body and "<h2>标题</h2>" in revision.body
    image = get_image_model().objects.get(pk=result.conversion.image_ids[0])
    assert image.title == "图一" and image.uploaded_by_user == actor
    page.refresh_from_db()
    assert not page.live


@pytest.mark.django_db
def test_article_fill_refuses_a_docx_with_an_id_number(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = column("zxdt/ztxx").add_child(
        instance=ArticlePage(title="导入测试2", body="<p>旧</p>", live=False)
    )
    upload = SimpleUploadedFile("a.docx", d.docx(paragraphs=(f"身份证 {resident_id()}",)))
    with pytest.raises(ValidationError, match=r"pii\.id_card"):
        article_fill_from_docx(page=page, upload=upload, actor=make_user(RoleKey.DRAFTER))
    assert page.get_latest_revision() is None


def test_xlsx_table_keeps_merged_cells_and_number_formats():
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["项目名称", None, "金额"])
    sheet.merge_cells("A1:B1")
    sheet.append(["甲", "乙", 1234567.891])
    sheet["C2"].number_format = "#,##0.00"
    sheet.append(["比例", "", 0.125])
    sheet["C3"].number_format = "0.0%"
    sheet.append(["日期", "", datetime.datetime(2026, 11, 25)])
    sheet["C4"].number_format = 'yyyy"年"m"月"d"日"'
    buffer = io.BytesIO()
    workbook.save(buffer)
    html = xlsx_to_table_html(buffer.getvalue())
    assert '<td colspan="2">项目名称</td><td>金额</td>' in html
    assert "<td>1,234,567.89</td>" in html
    assert "<td>12.5%</td>" in html
    assert "<td>2026年11月25日</td>" in html


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (1200000.0, "General", "1200000"),
        (0.1 + 0.2, "General", "0.3"),
        (-1234.5, "#,##0.00", "-1,234.50"),
        (1234.5, '"¥"#,##0.00', "¥1,234.50"),
        (3, "0", "3"),
        (True, "General", "TRUE"),
        (datetime.date(2026, 1, 2), "yyyy-mm-dd", "2026-01-02"),
        (None, "General", ""),
    ],
)
def test_format_cell(value, fmt, shown):
    assert format_cell(value, fmt) == shown
