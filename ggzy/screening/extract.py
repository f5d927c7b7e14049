"""Reading uploaded materials safely and extracting their text for screening.

信息发布管理制度 一(九): materials come as Word (.docx), Excel (.xlsx) and images
(JPG and the like); PDF is read too. The type is decided by the content, never
by the name; Office files are zip archives and are checked for zip bombs before
any XML is parsed; XML is parsed with defusedxml (no entities, no DTDs).
"""

from __future__ import annotations

import datetime
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import ElementTree as SafeET

from .rules import BLOCK, WARN, Finding

__all__ = [
    "KIND_LABELS",
    "DocumentError",
    "Extracted",
    "Limits",
    "extract",
    "kind_from_name",
    "sniff",
]


class DocumentError(Exception):
    """A file that cannot be screened: unreadable, too large, not what its name
    claims, or unsafe. ``message`` is English (CLI, logs); ``message_zh`` is shown
    to editors."""

    def __init__(self, message: str, message_zh: str):
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_ratio: int = 100
    max_entries: int = 5000

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings

        return cls(
            max_bytes=getattr(settings, "SCREENING_MAX_UPLOAD_BYTES", cls.max_bytes),
            max_uncompressed_bytes=getattr(
                settings, "SCREENING_MAX_UNCOMPRESSED_BYTES", cls.max_uncompressed_bytes
            ),
            max_ratio=getattr(settings, "SCREENING_MAX_COMPRESSION_RATIO", cls.max_ratio),
            max_entries=getattr(settings, "SCREENING_MAX_ZIP_ENTRIES", cls.max_entries),
        )


# --------------------------------------------------------------------------- kinds

KIND_LABELS = {
    "docx": ("a Word document (.docx)", "Word 文档（.docx）"),
    "xlsx": ("an Excel workbook (.xlsx)", "Excel 工作簿（.xlsx）"),
    "pdf": ("a PDF document", "PDF 文档"),
    "jpeg": ("a JPEG image", "JPEG 图片"),
    "png": ("a PNG image", "PNG 图片"),
    "webp": ("a WebP image", "WebP 图片"),
    "txt": ("plain text", "纯文本"),
    "zip": ("a zip archive", "zip 压缩包"),
    "damaged_zip": ("a damaged zip archive", "已损坏的 zip 压缩包"),
    "oversized_zip": ("an archive with too many entries", "内部条目过多的压缩包"),
    "ole2": ("a legacy Office 97-2003 file (.doc/.xls)", "旧版 Office 97-2003 文件（.doc/.xls）"),
    "executable": ("an executable program", "可执行程序"),
    "unknown": ("an unrecognised binary format", "无法识别的二进制格式"),
}

_EXTENSIONS = {
    "docx": "docx",
    "xlsx": "xlsx",
    "pdf": "pdf",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "png": "png",
    "webp": "webp",
    "txt": "txt",
}


def kind_from_name(name: str) -> str | None:
    """The kind a file name claims, or None for an extension ggzy does not take."""
    _, dot, ext = name.rpartition(".")
    return _EXTENSIONS.get(ext.lower()) if dot else None


def sniff(data: bytes, *, max_entries: int = Limits.max_entries) -> str:
    """The kind of a file by its content (magic bytes and, for zip, structure)."""
    head = data[:16]
    if head.startswith(b"PK\x03\x04"):
        if _declared_entries(data) > max_entries:
            return "oversized_zip"  # refused before zipfile builds one object per entry
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            return "damaged_zip"
        if "word/document.xml" in names or _main_part(names, "word/"):
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    # PDF readers accept up to 1 KB of junk before the header; plain text that
    # merely mentions "%PDF-" is not a PDF.
    if data.startswith(b"%PDF-") or (
        b"%PDF-" in data[:1024] and _decode_text(data[:8192], partial=True) is None
    ):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole2"
    if head.startswith((b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")):
        return "executable"
    if b"\x00" not in data[:8192] and _decode_text(data[:8192], partial=True) is not None:
        return "txt"
    return "unknown"


def _declared_entries(data: bytes) -> int:
    """Entry count from the zip's end-of-central-directory record (0 if absent;
    0xFFFF means zip64, whose real count zipfile reads, bounded by the file size)."""
    tail = data[-(65536 + 22) :]
    at = tail.rfind(b"PK\x05\x06")
    if at == -1 or at + 12 > len(tail):
        return 0
    return int.from_bytes(tail[at + 10 : at + 12], "little")


def _main_part(names: set[str], prefix: str) -> bool:
    return any(n.startswith(prefix) and n.endswith(".xml") for n in names) and "[Content_Types].xml" in names


def _decode_text(data: bytes, *, partial: bool = False) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            # A sample may cut a multi-byte character at its end.
            if partial and exc.start >= len(data) - 4:
                return data[: exc.start].decode(encoding, errors="strict")
    return None


# --------------------------------------------------------------------------- results


@dataclass
class Extracted:
    """Text parts to screen, (source, text), and findings about the file itself."""

    kind: str
    parts: list[tuple[str, str]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Structural findings whose excerpt is taken from a part's masked text:
    # (part index, rule, severity, start, end, label).
    marks: list[tuple[int, str, str, int, int, str]] = field(default_factory=list)


def _too_large(limit: int) -> DocumentError:
    mb = limit / (1024 * 1024)
    return DocumentError(f"the file is larger than the limit of {mb:g} MB", f"文件超过 {mb:g} MB 的大小限制")


def extract(data: bytes, *, name: str = "", limits: Limits | None = None, depth: int = 0) -> Extracted:
    """Check the file (size, kind by content against the name, zip safety) and
    extract its text, including Office files embedded one level deep. Raises
    DocumentError."""
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise _too_large(limits.max_bytes)
    if not data:
        raise DocumentError("the file is empty", "文件为空")
    actual = sniff(data, max_entries=limits.max_entries)
    claimed = kind_from_name(name) if name else actual
    if name and claimed is None:
        raise DocumentError(
            f"unsupported file type {posixpath.splitext(name)[1] or '(no extension)'}",
            f"不支持的文件类型：{posixpath.splitext(name)[1] or '（无扩展名）'}",
        )
    if actual == "oversized_zip":
        raise DocumentError(
            f"the archive has too many entries (limit {limits.max_entries})",
            f"文件内部条目过多（限制 {limits.max_entries} 个），已拒绝",
        )
    if actual == "damaged_zip" and claimed in ("docx", "xlsx"):
        raise _damaged_zip()
    if actual != claimed:
        en, zh = KIND_LABELS[actual]
        raise DocumentError(
            f"the extension claims {KIND_LABELS[claimed][0]} but the content is {en}",
            f"扩展名表明是{KIND_LABELS[claimed][1]}，但文件内容是{zh}",
        )
    if actual == "docx":
        archive = _open_zip(data, limits)
        result = _extract_docx(archive)
        _add_embedded(result, archive, "word/embeddings/", limits, depth)
        return result
    if actual == "xlsx":
        archive = _open_zip(data, limits)  # safety checks before openpyxl reads it
        result = _extract_xlsx(data)
        _add_xlsx_comments(result, archive)
        _add_embedded(result, archive, "xl/embeddings/", limits, depth)
        return result
    if actual == "pdf":
        return _extract_pdf(data)
    if actual == "txt":
        text = _decode_text(data)
        if text is None:
            raise DocumentError(
                "the text is neither UTF-8 nor GB18030", "文本编码既不是 UTF-8 也不是 GB18030"
            )
        return Extracted("txt", [("text", text)])
    if actual in ("jpeg", "png", "webp"):
        return _extract_image(data, actual)
    raise DocumentError(f"{KIND_LABELS[actual][0]} cannot be screened", f"无法审查{KIND_LABELS[actual][1]}")


# --------------------------------------------------------------------------- zip safety


def _damaged_zip() -> DocumentError:
    return DocumentError(
        "the file is damaged or truncated (not a readable zip archive)", "文件已损坏或不完整，无法读取"
    )


def _open_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise _damaged_zip() from exc
    if len(infos) > limits.max_entries:
        raise DocumentError(
            f"the archive has {len(infos)} entries (limit {limits.max_entries})",
            f"文件包含 {len(infos)} 个内部条目，超过 {limits.max_entries} 的限制",
        )
    total = sum(info.file_size for info in infos)
    bomb = DocumentError(
        "the archive expands far beyond its size (possible zip bomb)",
        "文件解压后异常膨胀（疑似压缩炸弹），已拒绝",
    )
    if total > limits.max_uncompressed_bytes:
        raise bomb
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise bomb
        if info.flag_bits & 0x1:
            raise DocumentError("the file is encrypted", "文件已加密，无法审查")
    return archive


def _read(archive: zipfile.ZipFile, member: str) -> bytes | None:
    try:
        info = archive.getinfo(member)
    except KeyError:
        return None
    try:
        with archive.open(info) as handle:
            # zipfile stops at the declared size and checks the CRC: a lying header
            # cannot make this read more than the limits above allowed.
            return handle.read()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise DocumentError(
            f"the file is damaged: cannot read {member}", f"文件已损坏：无法读取内部部件 {member}"
        ) from exc


def _parse(archive: zipfile.ZipFile, member: str):
    raw = _read(archive, member)
    if raw is None:
        return None
    try:
        return SafeET.fromstring(raw)
    except Exception as exc:  # defusedxml raises several kinds (ParseError, EntitiesForbidden, ...)
        raise DocumentError(
            f"the file is damaged or unsafe: {member} is not valid XML ({type(exc).__name__})",
            f"文件已损坏或含有不安全内容：{member} 不是有效的 XML",
        ) from exc


# --------------------------------------------------------------------------- embedded objects


def _add_embedded(
    result: Extracted, archive: zipfile.ZipFile, folder: str, limits: Limits, depth: int
) -> None:
    """Office files embedded in an Office file (a workbook inside a Word
    document, common in notices) are published with it: screen them too."""
    for member in sorted(n for n in archive.namelist() if n.startswith(folder) and not n.endswith("/")):
        label = posixpath.basename(member)
        raw = _read(archive, member) or b""
        kind = sniff(raw)
        if kind == "damaged_zip":
            result.findings.append(
                Finding("office.embedded_object", BLOCK, "嵌入文件已损坏，无法读取", 0, label)
            )
        elif depth == 0 and kind in ("docx", "xlsx", "pdf"):
            try:
                inner = extract(raw, name=f"embedded.{kind}", limits=limits, depth=depth + 1)
            except DocumentError as exc:
                result.findings.append(
                    Finding("office.embedded_object", BLOCK, f"嵌入文件无法读取：{exc.message_zh}", 0, label)
                )
                continue
            offset = len(result.parts)
            result.parts.extend((f"{label}/{source}", text) for source, text in inner.parts)
            result.marks.extend((index + offset, *rest) for index, *rest in inner.marks)
            result.findings.extend(
                Finding(f.rule, f.severity, f.excerpt, f.offset, f"{label}/{f.source}")
                for f in inner.findings
            )
        else:
            # OLE packages, equations, nested archives: content that cannot be checked.
            result.findings.append(
                Finding("office.embedded_object", WARN, f"嵌入对象无法审查：{label}", 0, label)
            )


# --------------------------------------------------------------------------- docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CORE_PROPERTIES = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_T, _DEL_TEXT, _TAB, _BR, _CR, _P = (W + t for t in ("t", "delText", "tab", "br", "cr", "p"))
_R, _RPR, _VANISH = W + "r", W + "rPr", W + "vanish"
_CHANGES = {W + "ins": "插入", W + "del": "删除", W + "moveFrom": "移动", W + "moveTo": "移动"}
_PROPERTY_CHANGES = {W + t for t in ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange")}
# Field codes, tab-stop definitions, and the VML fallback copy of text boxes
# (mc:AlternateContent holds the same text twice).
_SKIP = {
    W + "instrText",
    W + "delInstrText",
    W + "tabs",
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
}
_FALSE = {"0", "false", "off"}

_PART_NAMES = re.compile(r"^word/(header\d*|footer\d*|footnotes|endnotes)\.xml$")


class _Text:
    """Text of one part, with the spans of tracked changes and hidden runs."""

    def __init__(self):
        self.chunks: list[str] = []
        self.length = 0
        self.marks: list[tuple[str, int, int, str]] = []  # rule, start, end, label

    def add(self, text: str) -> None:
        if text:
            self.chunks.append(text)
            self.length += len(text)

    def value(self) -> str:
        return "".join(self.chunks)


def _vanished(run) -> bool:
    props = run.find(_RPR)
    if props is None:
        return False
    vanish = props.find(_VANISH)
    return vanish is not None and vanish.get(W + "val", "true").lower() not in _FALSE


def _visit(element, out: _Text) -> None:
    tag = element.tag
    if tag in _SKIP:
        return
    start = out.length
    if tag in _PROPERTY_CHANGES:
        out.marks.append(("docx.tracked_changes", start, start, "格式修订"))
        return  # the old properties, no text
    if tag in (_T, _DEL_TEXT):
        out.add(element.text or "")
    elif tag == _TAB:
        out.add("\t")
    elif tag in (_BR, _CR):
        out.add("\n")
    for child in element:
        _visit(child, out)
    if tag == _P:
        out.add("\n")
    if tag in _CHANGES:
        out.marks.append(("docx.tracked_changes", start, out.length, _CHANGES[tag]))
    elif tag == _R and _vanished(element):
        out.marks.append(("docx.hidden_text", start, out.length, "隐藏文字"))


def _part_text(root) -> _Text:
    out = _Text()
    try:
        _visit(root, out)
    except RecursionError as exc:
        raise DocumentError("the document is nested too deeply", "文档结构嵌套过深，无法读取") from exc
    # Adjacent hidden runs are one finding.
    merged: list[tuple[str, int, int, str]] = []
    for mark in out.marks:
        if merged and mark[0] == merged[-1][0] == "docx.hidden_text" and mark[1] == merged[-1][2]:
            merged[-1] = (mark[0], merged[-1][1], mark[2], mark[3])
        else:
            merged.append(mark)
    out.marks = merged
    return out


def _main_document(archive: zipfile.ZipFile) -> str:
    rels = _parse(archive, "_rels/.rels")
    if rels is not None:
        for rel in rels.iter(REL + "Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target", "").lstrip("/")
    return "word/document.xml"


def _mask_name(name: str) -> str:
    name = name.strip()
    return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else "*"


def _extract_docx(archive: zipfile.ZipFile) -> Extracted:
    result = Extracted("docx")
    main = _main_document(archive)
    members = [("body", main)]
    members += sorted((m.group(1), name) for name in archive.namelist() if (m := _PART_NAMES.match(name)))
    for source, member in members:
        root = _parse(archive, member)
        if root is None:
            if source == "body":
                raise DocumentError("the document has no body (word/document.xml)", "文档缺少正文部分")
            continue
        text = _part_text(root)
        index = len(result.parts)
        result.parts.append((source, text.value()))
        for rule, start, end, label in text.marks:
            result.marks.append((index, rule, BLOCK, start, end, label))

    # 批注: reviewers' remarks must not travel with published material.
    comments = _parse(archive, "word/comments.xml")
    if comments is not None:
        out = _Text()
        spans = []
        for comment in comments.iter(W + "comment"):
            start = out.length
            _visit(comment, out)
            spans.append((start, out.length))
        index = len(result.parts)
        result.parts.append(("comments", out.value()))
        for start, end in spans:
            result.marks.append((index, "docx.comments", BLOCK, start, end, "批注"))

    # 网站政务信息发布的管理规定 一(二): the author's name is personal data.
    core = _parse(archive, "docProps/core.xml")
    if core is not None:
        labels = {
            "{http://purl.org/dc/elements/1.1/}creator": "作者",
            CORE_PROPERTIES + "lastModifiedBy": "最后修改者",
        }
        for tag, label in labels.items():
            element = core.find(tag)
            if element is not None and (element.text or "").strip():
                result.findings.append(
                    Finding("docx.metadata", WARN, f"{label}：{_mask_name(element.text)}", 0, "metadata")
                )
    return result


# --------------------------------------------------------------------------- xlsx


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _extract_xlsx(data: bytes) -> Extracted:
    import openpyxl  # openpyxl parses with defusedxml when it is installed

    result = Extracted("xlsx")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise DocumentError(
            f"the workbook cannot be read ({type(exc).__name__})", "Excel 文件已损坏或格式不正确，无法读取"
        ) from exc
    try:
        for sheet in workbook.worksheets:
            lines = []
            for row in sheet.iter_rows(values_only=True):
                cells = [_cell_text(v) for v in row]
                while cells and not cells[-1]:
                    cells.pop()
                lines.append("\t".join(cells))
            result.parts.append((f"sheet:{sheet.title}", "\n".join(lines)))
    except DocumentError:
        raise
    except Exception as exc:
        raise DocumentError(
            f"the workbook is damaged ({type(exc).__name__})", "Excel 文件已损坏，无法读取"
        ) from exc
    finally:
        workbook.close()
    return result


_XLSX_COMMENTS = re.compile(r"^xl/(?:comments/comment\d*|comments\d*)\.xml$")
_XLSX_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _add_xlsx_comments(result: Extracted, archive: zipfile.ZipFile) -> None:
    """Cell comments (批注) are screened and, as in Word, block publication."""
    for member in sorted(n for n in archive.namelist() if _XLSX_COMMENTS.match(n)):
        root = _parse(archive, member)
        if root is None:
            continue
        chunks, spans, length = [], [], 0
        for comment in root.iter(_XLSX_MAIN + "comment"):
            text = "".join(t.text or "" for t in comment.iter(_XLSX_MAIN + "t")) + "\n"
            spans.append((length, length + len(text) - 1, comment.get("ref", "")))
            chunks.append(text)
            length += len(text)
        index = len(result.parts)
        result.parts.append((f"comments:{posixpath.basename(member)}", "".join(chunks)))
        for start, end, ref in spans:
            result.marks.append((index, "xlsx.comments", BLOCK, start, end, f"批注 {ref}".strip()))


# --------------------------------------------------------------------------- pdf


def _extract_pdf(data: bytes) -> Extracted:
    import pypdf

    result = Extracted("pdf")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError("the PDF is password-protected", "PDF 文件设有密码，无法审查")
        for number, page in enumerate(reader.pages, start=1):
            result.parts.append((f"page:{number}", page.extract_text() or ""))
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise DocumentError(
            f"the PDF is damaged or truncated ({type(exc).__name__})", "PDF 文件已损坏或不完整，无法读取"
        ) from exc
    return result


# --------------------------------------------------------------------------- images


def _extract_image(data: bytes, kind: str) -> Extracted:
    from PIL import Image, UnidentifiedImageError

    result = Extracted(kind)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise DocumentError(
            f"the image is damaged or not a valid {kind.upper()}", "图片已损坏或格式不正确，无法读取"
        ) from exc
    if exif:
        # GPS position and camera data are personal data: stripped on publish.
        result.findings.append(
            Finding("image.metadata", WARN, "图片含 EXIF 元数据（发布时清除）", 0, "image")
        )
    return result
