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

__all__ = [
    "INDUSTRY_TAG_COLUMNS",
    "attachment_findings",
    "describe",
    "html_to_text",
    "page_findings",
    "rule_name",
]

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


def _rule_names() -> dict[str, str]:
    return {
        "pii.id_card": _("身份证号码"),
        "pii.bank_card": _("银行卡号"),
        "pii.mobile": _("手机号码"),
        "classified.mark": _("密级标志"),
        "office.embedded_object": _("附件内嵌对象"),
        "docx.tracked_changes": _("修订痕迹"),
        "docx.hidden_text": _("隐藏文字"),
        "docx.comments": _("批注"),
        "docx.metadata": _("文档属性（作者等）"),
        "xlsx.comments": _("表格批注"),
        "image.metadata": _("图片元数据"),
        "image.alt_missing": _("图片缺少替代文字"),
        "attachment.unreadable": _("附件无法审查"),
        "column.industry_tag": _("标题缺少行业标注"),
    }


def rule_name(rule: str) -> str:
    """The Chinese name of a screening rule (a lexicon rule by its category),
    what an editor reads; the rule id stays beside it for the operators."""
    if rule.startswith("lexicon."):
        from .choices import LexiconCategory

        category = rule.removeprefix("lexicon.")
        label = dict(LexiconCategory.choices).get(category, category)
        return _("违禁内容：%(category)s") % {"category": label}
    return _rule_names().get(rule, rule)


def describe(finding: Finding) -> str:
    """One finding as an editor reads it: severity, the rule's Chinese name (its id
    in brackets), where in the attachments, and the matched text (masked)."""
    kind = _("阻止发布") if finding.blocking else _("警告")
    where = f"（{finding.source}）" if finding.source.startswith(_("附件")) else ""
    return _("【%(kind)s】%(name)s（%(rule)s）%(where)s，命中内容：%(excerpt)s") % {
        "kind": kind,
        "name": rule_name(finding.rule),
        "rule": finding.rule,
        "where": where,
        "excerpt": finding.excerpt,
    }
