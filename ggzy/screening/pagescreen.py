"""Screening a page: the text of its fields (rich text and embedded .xlsx tables
as plain text), the documents it links to (附件), image alt text and the
column's title rule, as findings per field (网站政务信息发布的管理规定 一(二)(四)).

The page editor's form (forms.py), the findings view, the publishing gates and
the reviewers' acknowledgements all read the same findings from here."""

from __future__ import annotations

import html
import re
from dataclasses import replace

from django.utils.translation import gettext as _

from .embeds import embed_text
from .extract import DocumentError, Limits
from .rules import BLOCK, Finding
from .services import screen, screen_document

__all__ = ["INDUSTRY_TAG_COLUMNS", "attachment_findings", "describe", "html_to_text", "page_findings"]

# 网站栏目信息发布分类 3.4 行业信息: titles start with the industry in brackets,
# e.g. "[政府采购]…" (block, in the editor only).
INDUSTRY_TAG_COLUMNS = frozenset({"hyxx"})
_INDUSTRY_TAG = re.compile(r"^\s*(?:\[[^\[\]]+\]|【[^【】]+】)")

_BLOCK_TAGS = re.compile(
    r"</?(?:p|h[1-6]|li|ol|ul|br|hr|div|tr|td|th|table|caption|embed)\b[^>]*>", re.IGNORECASE
)
_TAGS = re.compile(r"<[^>]+>")
_DOCUMENT_LINK = re.compile(r'<a\b(?=[^>]*\blinktype="document")[^>]*\bid="(\d+)"')
_EMBED_WITHOUT_ALT = re.compile(r'<embed\b(?=[^>]*embedtype="image")(?![^>]*\balt="[^"]*[^"\s][^"]*")[^>]*>')


def html_to_text(value: str) -> str:
    """Rich text (Wagtail's database HTML) as plain text, blocks on their own lines."""
    return html.unescape(_TAGS.sub("", _BLOCK_TAGS.sub("\n", str(value))))


def _text_values(values: dict) -> dict[str, str]:
    """Plain text per field; embeds that stand for text (tables made from .xlsx,
    registered through screening.embeds) are part of the text the page shows,
    so they are screened with it (one query for all fields)."""
    expand = embed_text(values.values())
    texts = {}
    for name, value in values.items():
        if isinstance(value, str) and value.strip():
            texts[name] = html_to_text(expand(value)) if "<" in value else value
    return texts


def attachment_findings(value: str) -> list[Finding]:
    """Findings in the documents a rich text links to (附件): each file is checked
    by content and screened like an upload; one that cannot be read blocks."""
    from wagtail.documents import get_document_model

    ids = {int(i) for i in _DOCUMENT_LINK.findall(value)}
    findings = []
    for document in get_document_model().objects.filter(pk__in=ids).order_by("pk"):
        label = _("附件《%(title)s》") % {"title": document.title}
        try:
            with document.file.open("rb") as handle:
                data = handle.read(Limits.from_settings().max_bytes + 1)
            found = screen_document(data, name=document.file.name)
        except (DocumentError, OSError) as exc:
            reason = exc.message_zh if isinstance(exc, DocumentError) else _("文件无法读取")
            findings.append(Finding("attachment.unreadable", BLOCK, f"{label}：{reason}", 0, label))
            continue
        findings.extend(replace(f, source=f"{label} {f.source}".strip()) for f in found)
    return findings


def page_findings(values: dict, *, column_slug: str | None = None) -> dict[str, list[Finding]]:
    """Findings per field name for a page's text fields (title, body, ...) and
    the documents they link to."""
    findings: dict[str, list[Finding]] = {}
    for name, text in _text_values(values).items():
        found = screen(text, source=name)
        if found:
            findings[name] = found
    for name, value in values.items():
        if isinstance(value, str) and "linktype" in value:
            found = attachment_findings(value)
            if found:
                findings.setdefault(name, []).extend(found)
    # Images need alt text before submission (accessibility of a government site).
    for name, value in values.items():
        if isinstance(value, str) and _EMBED_WITHOUT_ALT.search(value):
            findings.setdefault(name, []).append(
                Finding("image.alt_missing", BLOCK, _("正文中的图片缺少替代文字"), 0, name)
            )
    title = values.get("title") or ""
    if column_slug in INDUSTRY_TAG_COLUMNS and title and not _INDUSTRY_TAG.match(title):
        findings.setdefault("title", []).append(
            Finding("column.industry_tag", BLOCK, _("标题应以中括号注明行业类型，如“[政府采购]”"), 0, "title")
        )
    return findings


def describe(finding: Finding) -> str:
    kind = _("阻止发布") if finding.blocking else _("警告")
    where = f"（{finding.source}）" if finding.source.startswith(_("附件")) else ""
    return f"【{kind}】{finding.rule}{where}：{finding.excerpt}"
