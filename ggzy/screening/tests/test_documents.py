"""Office, PDF and image files: every part screened, hidden content found,
bad files refused by content (not by name)."""

import io
import zipfile

import pytest

from ggzy.screening.extract import DocumentError, Limits, extract, sniff
from ggzy.screening.rules import Lexicon, LexiconTerm
from ggzy.screening.services import screen_document

from . import documents as d
from .helpers import resident_id

ID = resident_id()
LEXICON = Lexicon([LexiconTerm("gambling", "网络赌博")])


def screen(data, name="材料.docx", **kwargs):
    return screen_document(data, name=name, lexicon=LEXICON, **kwargs)


def found(findings):
    return {(f.rule, f.source) for f in findings}


# ----------------------------------------------------------------- docx


def test_clean_docx_has_no_findings():
    assert screen(d.docx(paragraphs=("焦作市公共资源交易中心", "关于某项目的中标公告"))) == []


def test_docx_body_and_tables_are_screened():
    table = "<w:tbl><w:tr><w:tc>" + d.p("联系人身份证") + "</w:tc><w:tc>" + d.p(ID) + "</w:tc></w:tr></w:tbl>"
    findings = screen(d.docx(table, paragraphs=("机密★5年",)))
    assert found(findings) == {("pii.id_card", "body"), ("classified.mark", "body")}


def test_docx_headers_footers_and_footnotes_are_screened():
    parts = {
        "word/header1.xml": d.part("hdr", d.p("内部资料")),
        "word/footer2.xml": d.part("ftr", d.p("咨询电话 13812345678")),
        "word/footnotes.xml": d.part("footnotes", f"<w:footnote w:id='1'>{d.p('网络赌博')}</w:footnote>"),
        "word/endnotes.xml": d.part("endnotes", f"<w:endnote w:id='1'>{d.p(ID)}</w:endnote>"),
    }
    findings = screen(d.docx(paragraphs=("正文",), parts=parts))
    assert found(findings) == {
        ("classified.mark", "header1"),
        ("pii.mobile", "footer2"),
        ("lexicon.gambling", "footnotes"),
        ("pii.id_card", "endnotes"),
    }


def test_docx_comments_block_and_their_text_is_screened():
    findings = screen(d.docx(paragraphs=("正文",), comments=("请核对身份证 " + ID,)))
    assert found(findings) == {("docx.comments", "comments"), ("pii.id_card", "comments")}
    comment = next(f for f in findings if f.rule == "docx.comments")
    assert comment.severity == "block" and comment.excerpt.startswith("批注")
    assert ID not in comment.excerpt


def test_docx_tracked_changes_block_and_deleted_text_is_screened():
    body = (
        "<w:p><w:r><w:t>中标人：</w:t></w:r>"
        f"<w:del w:id='1' w:author='a'><w:r><w:delText>{ID}</w:delText></w:r></w:del>"
        "<w:ins w:id='2' w:author='a'><w:r><w:t>某公司</w:t></w:r></w:ins></w:p>"
    )
    findings = screen(d.docx(body))
    assert ("pii.id_card", "body") in found(findings)
    changes = [f for f in findings if f.rule == "docx.tracked_changes"]
    assert len(changes) == 2 and all(f.severity == "block" for f in changes)
    assert any(f.excerpt.startswith("删除") for f in changes)
    assert all(ID not in f.excerpt for f in changes)


def test_docx_formatting_changes_are_tracked_changes_too():
    body = (
        "<w:p><w:r><w:rPr><w:b/><w:rPrChange w:id='3' w:author='a'><w:rPr/></w:rPrChange></w:rPr>"
        "<w:t>公告</w:t></w:r></w:p>"
    )
    assert found(screen(d.docx(body))) == {("docx.tracked_changes", "body")}


def test_docx_hidden_text_blocks_and_is_screened():
    body = (
        "<w:p><w:r><w:t>公开内容</w:t></w:r>"
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏的</w:t></w:r>"
        "<w:r><w:rPr><w:vanish w:val='true'/></w:rPr><w:t>内部文件</w:t></w:r></w:p>"
    )
    findings = screen(d.docx(body))
    assert found(findings) == {("docx.hidden_text", "body"), ("classified.mark", "body")}
    assert len([f for f in findings if f.rule == "docx.hidden_text"]) == 1  # adjacent runs merged


def test_docx_vanish_switched_off_is_not_hidden():
    body = "<w:p><w:r><w:rPr><w:vanish w:val='0'/></w:rPr><w:t>可见</w:t></w:r></w:p>"
    assert screen(d.docx(body)) == []


def test_docx_author_metadata_warns_masked():
    findings = screen(d.docx(paragraphs=("正文",), creator="张三丰", last_modified_by="李四"))
    assert [(f.rule, f.severity, f.excerpt) for f in findings] == [
        ("docx.metadata", "warn", "作者：张**"),
        ("docx.metadata", "warn", "最后修改者：李*"),
    ]
    assert screen(d.docx(paragraphs=("正文",), creator="", last_modified_by=" ")) == []


# ----------------------------------------------------------------- xlsx and pdf


def test_xlsx_every_sheet_is_screened():
    data = d.xlsx(
        {
            "汇总": [["项目", "金额"], ["某工程", 1200000.0]],
            "人员": [["姓名", "身份证", "电话"], ["张三", ID, 13812345678]],
            "备注": [["内部资料，请勿外传"]],
        }
    )
    findings = screen(data, name="名单.xlsx")
    assert found(findings) == {
        ("pii.id_card", "sheet:人员"),
        ("pii.mobile", "sheet:人员"),
        ("classified.mark", "sheet:备注"),
    }


def test_pdf_pages_are_screened():
    findings = screen(d.pdf("Notice of award", f"Contact ID {ID}"), name="公告.pdf")
    assert found(findings) == {("pii.id_card", "page:2")}
    assert ID not in findings[0].excerpt


def test_plain_text_is_screened():
    findings = screen(f"身份证 {ID}".encode("gb18030"), name="a.txt")
    assert found(findings) == {("pii.id_card", "text")}


# ----------------------------------------------------------------- images


def _image(kind: str, exif: bool = False) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (8, 8), "white")
    buffer = io.BytesIO()
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "CameraMaker"  # Make
        options["exif"] = data.tobytes()
    image.save(buffer, format=kind, **options)
    return buffer.getvalue()


@pytest.mark.parametrize(("kind", "name"), [("JPEG", "a.jpg"), ("PNG", "a.png"), ("WEBP", "a.webp")])
def test_images_are_checked_by_content(kind, name):
    assert screen(_image(kind), name=name) == []


def test_image_with_exif_warns():
    assert found(screen(_image("JPEG", exif=True), name="a.jpeg")) == {("image.metadata", "image")}


# ----------------------------------------------------------------- bad files


def test_truncated_docx_is_refused():
    data = d.docx(paragraphs=("正文",))
    with pytest.raises(DocumentError) as excinfo:
        screen(data[: len(data) // 2])
    assert "damaged" in excinfo.value.message and "损坏" in excinfo.value.message_zh


def test_renamed_executable_is_refused():
    with pytest.raises(DocumentError) as excinfo:
        screen(b"MZ\x90\x00" + b"\x00" * 200, name="通知.docx")
    assert excinfo.value.message == (
        "the extension claims a Word document (.docx) but the content is an executable program"
    )
    assert "可执行程序" in excinfo.value.message_zh


def test_workbook_renamed_to_docx_is_refused():
    with pytest.raises(DocumentError, match="claims a Word document"):
        screen(d.xlsx({"a": [["x"]]}), name="a.docx")


def test_legacy_office_and_unknown_types_are_refused():
    with pytest.raises(DocumentError, match="legacy Office"):
        screen(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, name="a.docx")
    with pytest.raises(DocumentError, match="unsupported file type"):
        screen(b"hello", name="a.exe")


def test_zip_bomb_is_refused_before_parsing():
    bomb = d.zip_bomb()
    assert len(bomb) < 1024 * 1024
    with pytest.raises(DocumentError, match="zip bomb"):
        screen(bomb)


def test_too_many_entries_and_oversized_files_are_refused():
    with pytest.raises(DocumentError, match="entries"):
        screen(d.docx(paragraphs=("x",)), limits=Limits(max_entries=2))
    with pytest.raises(DocumentError, match="larger than the limit"):
        screen(d.docx(paragraphs=("x",)), limits=Limits(max_bytes=100))


def test_xml_entity_expansion_is_refused():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        f'<w:document xmlns:w="{d.W_NS}"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", d.CONTENT_TYPES)
        archive.writestr("_rels/.rels", d.ROOT_RELS)
        archive.writestr("word/document.xml", laughs)
    with pytest.raises(DocumentError, match="unsafe"):
        screen(buffer.getvalue())


@pytest.mark.parametrize("data", [b"%PDF-1.4\n", b"%PDF-1.4\n1 0 obj << /Type /Catalog"])
def test_truncated_pdf_is_refused(data):
    with pytest.raises(DocumentError, match="PDF"):
        screen(data, name="a.pdf")


def test_damaged_image_is_refused():
    with pytest.raises(DocumentError, match="image"):
        screen(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, name="a.png")


def test_empty_file_is_refused():
    with pytest.raises(DocumentError, match="empty"):
        extract(b"", name="a.docx")


def test_sniff_by_content():
    assert sniff(d.docx(paragraphs=("x",))) == "docx"
    assert sniff(d.xlsx({"a": [["x"]]})) == "xlsx"
    assert sniff(d.pdf("x")) == "pdf"
    assert sniff(b"MZ\x00\x00") == "executable"
    assert sniff("中文文本".encode()) == "txt"


# ----------------------------------------------------------------- embedded objects and xlsx comments


def test_workbook_embedded_in_a_docx_is_screened():
    inner = d.xlsx({"名单": [["身份证", ID]]})
    data = d.docx(
        paragraphs=("见下表",),
        files={
            "word/embeddings/Microsoft_Excel_Worksheet.xlsx": inner,
            "word/embeddings/oleObject1.bin": b"\xd0\xcf",
        },
    )
    findings = screen(data)
    assert found(findings) == {
        ("pii.id_card", "Microsoft_Excel_Worksheet.xlsx/sheet:名单"),
        ("office.embedded_object", "oleObject1.bin"),
    }
    assert next(f for f in findings if f.rule == "office.embedded_object").severity == "warn"


def test_damaged_embedded_file_blocks():
    data = d.docx(paragraphs=("x",), files={"word/embeddings/a.docx": d.docx(paragraphs=("y",))[:100]})
    (finding,) = screen(data)
    assert (finding.rule, finding.severity) == ("office.embedded_object", "block")


def test_xlsx_cell_comments_block_and_are_screened():
    import openpyxl
    from openpyxl.comments import Comment

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "金额"
    workbook.active["A1"].comment = Comment(f"经办人身份证 {ID}", "审核人")
    buffer = io.BytesIO()
    workbook.save(buffer)
    findings = screen(buffer.getvalue(), name="a.xlsx")
    assert found(findings) == {
        ("xlsx.comments", "comments:comment1.xml"),
        ("pii.id_card", "comments:comment1.xml"),
    }
    comment = next(f for f in findings if f.rule == "xlsx.comments")
    assert comment.excerpt.startswith("批注 A1") and ID not in comment.excerpt


def test_archive_with_a_huge_directory_is_refused_by_its_declared_count():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", d.CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
        for number in range(6000):
            archive.writestr(f"x/{number}", b"")
    assert sniff(buffer.getvalue()) == "oversized_zip"
    with pytest.raises(DocumentError, match="too many entries"):
        screen(buffer.getvalue())


def test_text_box_fallback_copies_are_not_screened_twice():
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = (
        f'<w:p><w:r><mc:AlternateContent xmlns:mc="{mc}"><mc:Choice Requires="wps">'
        f"<w:txbxContent>{d.p('内部资料')}</w:txbxContent></mc:Choice>"
        f"<mc:Fallback><w:txbxContent>{d.p('内部资料')}</w:txbxContent></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )
    assert [f.rule for f in screen(d.docx(box))] == ["classified.mark"]
