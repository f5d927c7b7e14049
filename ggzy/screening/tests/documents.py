"""Builders for test documents, made in code: .docx as hand-written minimal
OOXML, .xlsx with openpyxl, .pdf as a minimal hand-written PDF."""

import io
import zipfile
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    f'xmlns:w="{W_NS}"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Default Extension="jpeg" ContentType="image/jpeg"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""

ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
 Target="word/document.xml"/>
</Relationships>"""


def p(text: str) -> str:
    """A paragraph with one run."""
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def docx(
    body: str = "",
    *,
    paragraphs: tuple[str, ...] = (),
    parts: dict[str, str] | None = None,
    comments: tuple[str, ...] = (),
    creator: str | None = None,
    last_modified_by: str | None = None,
    files: dict[str, str | bytes] | None = None,
) -> bytes:
    """A .docx whose body is the given WordprocessingML (inside w:body) plus
    plain paragraphs; parts adds e.g. {"word/header1.xml": "<w:hdr ...>"}."""
    inner = body + "".join(p(t) for t in paragraphs)
    contents = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {NAMESPACES}>'
        f"<w:body>{inner}</w:body></w:document>",
    }
    parts = {**(parts or {}), **(files or {})}
    contents.update(parts)
    if comments:
        items = "".join(
            f'<w:comment w:id="{i}" w:author="审核人">{p(text)}</w:comment>'
            for i, text in enumerate(comments)
        )
        contents["word/comments.xml"] = f'<w:comments xmlns:w="{W_NS}">{items}</w:comments>'
    if creator is not None or last_modified_by is not None:
        contents["docProps/core.xml"] = (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/">'
            + (f"<dc:creator>{escape(creator)}</dc:creator>" if creator is not None else "")
            + (
                f"<cp:lastModifiedBy>{escape(last_modified_by)}</cp:lastModifiedBy>"
                if last_modified_by is not None
                else ""
            )
            + "</cp:coreProperties>"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in contents.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def part(root: str, content: str) -> str:
    """A header/footer/footnotes part: root is hdr, ftr, footnotes or endnotes."""
    return f'<w:{root} xmlns:w="{W_NS}">{content}</w:{root}>'


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf(*pages: str) -> bytes:
    """A minimal valid PDF, one line of ASCII text per page (Helvetica)."""
    objects: list[bytes] = []
    count = len(pages)
    # 1: catalog, 2: pages, 3: font, then (page, content) pairs
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, text in enumerate(pages):
        safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 12 Tf 72 720 Td ({safe}) Tj ET".encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
            f" /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def zip_bomb(entry_size: int = 50 * 1024 * 1024) -> bytes:
    """A "docx" whose body inflates from kilobytes to entry_size bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as handle:
            chunk = b" " * (1024 * 1024)
            for _ in range(entry_size // len(chunk)):
                handle.write(chunk)
    return buffer.getvalue()


STYLES = f"""<w:styles xmlns:w="{W_NS}">
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>
</w:styles>"""


def heading(text: str, level: int = 1) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="Heading{level}"/></w:pPr><w:r><w:t>{escape(text)}</w:t></w:r></w:p>'


def picture(rel_id: str, alt: str = "") -> str:
    """A paragraph with an inline picture (DrawingML) pointing at rel_id."""
    return (
        f'<w:p><w:r><w:drawing><wp:inline><wp:extent cx="952500" cy="952500"/>'
        f'<wp:docPr id="1" name="Picture 1" descr="{escape(alt)}"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:blipFill><a:blip r:embed="{rel_id}"/></pic:blipFill></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


def image_rels(**targets: str) -> str:
    items = "".join(
        f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"'
        f' Target="{target}"/>'
        for rid, target in targets.items()
    )
    return f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{items}</Relationships>'


def xlsx_bomb(entry_size: int = 50 * 1024 * 1024) -> bytes:
    """A real .xlsx with one extra entry that inflates from kilobytes to entry_size bytes."""
    base = zipfile.ZipFile(io.BytesIO(xlsx({"Sheet1": [["a"]]})))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in base.infolist():
            archive.writestr(info.filename, base.read(info.filename))
        with archive.open("xl/media/pad.bin", "w", force_zip64=True) as handle:
            chunk = b" " * (1024 * 1024)
            for _ in range(entry_size // len(chunk)):
                handle.write(chunk)
    return buffer.getvalue()


def tender_workbook(extra_rows: tuple = ()) -> bytes:
    """A two-sheet 开标记录 workbook: a merged title row, a header row, money
    with thousands separators, a percentage and a Chinese date format."""
    import datetime

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "说明"
    sheet.append(["本表为开标记录"])
    record = workbook.create_sheet("开标记录")
    record.append(["投标人", None, "报价（元）", "下浮率", "开标日期"])
    record.merge_cells("A1:B1")
    record.append(["甲建设有限公司", "一标段", 1234567.891, 0.125, datetime.datetime(2026, 11, 25)])
    record["C2"].number_format = "#,##0.00"
    record["D2"].number_format = "0.0%"
    record["E2"].number_format = 'yyyy"年"m"月"d"日"'
    for row in extra_rows:
        record.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
