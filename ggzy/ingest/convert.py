"""Conversions, no writes: a .docx becomes Wagtail rich text, a sheet of an
.xlsx becomes an accessible HTML table (网站政务信息发布的管理规定 一(九):
materials come as Word and Excel files). The data must have passed
``uploads.validate_upload`` (content, size, zip bombs, screening) first.

.docx → mammoth → nh3 (allow-list) → Wagtail's own whitelister for the page's
rich text features, so the body holds only what the editor could have made.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import nh3
from django.utils.translation import gettext as _

from ggzy.screening.extract import sniff

from .uploads import strip_image_metadata

__all__ = [
    "DocxConversion",
    "docx_to_rich_text",
    "format_cell",
    "xlsx_sheet_names",
    "xlsx_to_table_html",
]

# Word's built-in heading styles (stored in English whatever the UI language)
# mapped onto the editor's h2-h4: the page title is the h1.
STYLE_MAP = "\n".join(
    [
        "p[style-name='Title'] => h2:fresh",
        "p[style-name='heading 1'] => h2:fresh",
        "p[style-name='Heading 1'] => h2:fresh",
        "p[style-name='heading 2'] => h3:fresh",
        "p[style-name='Heading 2'] => h3:fresh",
        "p[style-name='heading 3'] => h4:fresh",
        "p[style-name='Heading 3'] => h4:fresh",
        "p[style-name='heading 4'] => h4:fresh",
        "p[style-name='Heading 4'] => h4:fresh",
    ]
)

_NH3_TAGS = {"p", "br", "h2", "h3", "h4", "b", "strong", "i", "em", "ol", "ul", "li", "hr", "a", "img"}
_NH3_TABLE_TAGS = {"table", "caption", "thead", "tbody", "tr", "th", "td"}
_IMG = re.compile(r"<img\b[^>]*>")
_ATTR = re.compile(r'([a-z-]+)="([^"]*)"')


@dataclass
class DocxConversion:
    html: str  # Wagtail database rich text
    messages: list[str] = field(default_factory=list)
    image_ids: list[int] = field(default_factory=list)
    images_without_alt: int = 0


def _sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=_NH3_TAGS,
        attributes={"a": {"href"}, "img": {"src", "alt"}},
        url_schemes={"http", "https", "mailto", "wagtail-image"},
        link_rel=None,
    )


def _to_editor_images(html: str) -> str:
    """<img src="wagtail-image:ID" alt=...> → the editor's image embed markup."""

    def replace(match: re.Match) -> str:
        attrs = dict(_ATTR.findall(match.group()))
        image_id = attrs.get("src", "").removeprefix("wagtail-image:")
        if not image_id.isdigit():
            return ""
        alt = attrs.get("alt", "")  # still HTML-escaped, as nh3 wrote it
        return f'<img data-embedtype="image" data-id="{image_id}" data-format="fullwidth" data-alt="{alt}">'

    return _IMG.sub(replace, html)


def docx_to_rich_text(
    data: bytes,
    *,
    features: list[str],
    save_image: Callable[[bytes, str, str], int] | None = None,
) -> DocxConversion:
    """Convert a .docx (already checked and screened) to Wagtail rich text with
    the given features. save_image(data, kind, alt) stores an image and returns
    its id; without it, images are dropped with a message."""
    import mammoth
    from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

    result = DocxConversion(html="")

    def convert_image(image) -> dict:
        with image.open() as stream:
            raw = stream.read()
        kind = sniff(raw)
        if save_image is None or kind not in ("jpeg", "png", "webp"):
            result.messages.append(_("文档中的一张图片未导入（仅支持 JPEG、PNG、WebP），请另行上传。"))
            return {}
        alt = (image.alt_text or "").strip()
        if not alt:
            result.images_without_alt += 1
        image_id = save_image(strip_image_metadata(io.BytesIO(raw)), kind, alt)
        result.image_ids.append(image_id)
        return {"src": f"wagtail-image:{image_id}", "alt": alt}

    converted = mammoth.convert_to_html(
        io.BytesIO(data), style_map=STYLE_MAP, convert_image=mammoth.images.img_element(convert_image)
    )
    if "<table" in converted.value:
        result.messages.append(_("文档中的表格已转为段落；表格请以 Excel 文件导入。"))
    html = _to_editor_images(_sanitize(converted.value))
    result.html = EditorHTMLConverter(features=features).to_database_format(html)
    if result.images_without_alt:
        result.messages.append(
            _("%(count)s 张图片缺少替代文字，提交审核前须补充。") % {"count": result.images_without_alt}
        )
    return result


# --------------------------------------------------------------------------- xlsx


_FORMAT_NOISE = re.compile(r"\[[^\]]*\]|\"[^\"]*\"|\\.|_.|\*.")


def _decimals(fmt: str) -> int:
    match = re.search(r"\.([0#]+)", fmt)
    return len(match.group(1)) if match else 0


def format_cell(value, number_format: str = "General") -> str:
    """A cell's value as Excel shows it, for the common number formats."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    fmt = (number_format or "General").split(";")[0]
    if isinstance(value, datetime.datetime | datetime.date):
        if "年" in fmt:
            return f"{value.year}年{value.month}月{value.day}日"
        if isinstance(value, datetime.datetime) and re.search(r"h", fmt, re.IGNORECASE):
            return value.strftime("%Y-%m-%d %H:%M")
        return value.strftime("%Y-%m-%d")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, int | float):
        if fmt == "General" or fmt == "@":
            return str(int(value)) if float(value).is_integer() else f"{value:.10g}"
        bare = _FORMAT_NOISE.sub("", fmt)
        prefix = "¥" if ("¥" in fmt or "￥" in fmt) else ("$" if "$" in bare else "")
        digits = _decimals(bare)
        if "%" in bare:
            return f"{value * 100:.{digits}f}%"
        grouping = "," if "," in bare else ""
        text = format(abs(value), f"{grouping}.{digits}f")
        return ("-" if value < 0 else "") + prefix + text
    return str(value)


def xlsx_sheet_names(data: bytes) -> list[str]:
    """The sheets of a workbook, in order (the data must have passed validate_upload)."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def xlsx_to_table_html(
    data: bytes, *, sheet: str | None = None, caption: str = "", header_rows: int = 0
) -> str:
    """One sheet (the first unless named) as a sanitised HTML table, merged
    cells as rowspan/colspan and numbers as displayed. With a caption and
    header rows it is an accessible table: <caption>, and the first
    header_rows rows in <thead> as <th scope="col"> (scope="colgroup" when a
    cell spans columns). Trailing empty rows are dropped. The data must have
    passed validate_upload (zip-bomb checks) first."""
    import openpyxl
    from django.utils.html import escape

    workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise KeyError(sheet)
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        covered: set[tuple[int, int]] = set()
        for merged in worksheet.merged_cells.ranges:
            spans[(merged.min_row, merged.min_col)] = (
                merged.max_row - merged.min_row + 1,
                merged.max_col - merged.min_col + 1,
            )
            for row in range(merged.min_row, merged.max_row + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    if (row, col) != (merged.min_row, merged.min_col):
                        covered.add((row, col))
        rows: list[tuple[bool, str]] = []  # (has content, <tr>)
        for row in worksheet.iter_rows(
            min_row=1, max_row=worksheet.max_row, min_col=1, max_col=worksheet.max_column
        ):
            cells = []
            filled = False
            for cell in row:
                key = (cell.row, cell.column)
                if key in covered:
                    continue
                attrs = ""
                colspan = 1
                if key in spans:
                    rowspan, colspan = spans[key]
                    attrs += f' rowspan="{rowspan}"' if rowspan > 1 else ""
                    attrs += f' colspan="{colspan}"' if colspan > 1 else ""
                text = format_cell(cell.value, cell.number_format)
                filled = filled or bool(text.strip()) or key in spans
                if cell.row <= header_rows:
                    scope = "colgroup" if colspan > 1 else "col"
                    cells.append(f'<th scope="{scope}"{attrs}>{escape(text)}</th>')
                else:
                    cells.append(f"<td{attrs}>{escape(text)}</td>")
            rows.append((filled, "<tr>" + "".join(cells) + "</tr>"))
    finally:
        workbook.close()
    while rows and not rows[-1][0]:
        rows.pop()
    head = "".join(tr for _, tr in rows[:header_rows])
    body = "".join(tr for _, tr in rows[header_rows:])
    html = "<table>"
    if caption:
        html += f"<caption>{escape(caption)}</caption>"
    if head:
        html += f"<thead>{head}</thead>"
    html += f"<tbody>{body}</tbody></table>"
    return nh3.clean(
        html,
        tags=_NH3_TABLE_TAGS,
        attributes={"td": {"rowspan", "colspan"}, "th": {"rowspan", "colspan", "scope"}},
    )
