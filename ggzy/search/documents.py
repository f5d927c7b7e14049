"""What of a published page goes into the search index: its title, the plain
text of its body and fields, its project codes, kind, column path and date."""

import html
import re
from dataclasses import dataclass

import nh3
from django.conf import settings
from django.utils import timezone

from ggzy.ingest.rich_text import with_table_html
from ggzy.notices.models import NOTICE_MODELS, CandidatesNotice, NoticePage
from ggzy.portal.models import ArticlePage

from .choices import ARTICLE

# The page types the public search covers (column items).
INDEXED_MODELS = (ArticlePage, *NOTICE_MODELS.values())

_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|li|tr|td|th|blockquote)>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\s*\n\s*")

# Notice fields whose text is searched (besides title and body), when a kind has them.
NOTICE_TEXT_FIELDS = (
    "project_name",
    "owner_name",
    "agency_name",
    "winner_name",
    "subject_name",
    "location",
    "land_use",
    "transferee",
    "change_summary",
)


def html_to_text(value: str) -> str:
    """Rich text as plain text, one line per block, entities decoded; tables
    inserted from .xlsx count as what the page shows (one query, only if any)."""
    if not value:
        return ""
    value = with_table_html(value)
    text = nh3.clean(_BLOCK_END.sub("\n", value), tags=set())
    text = html.unescape(text)
    return _LINES.sub("\n", _SPACES.sub(" ", text)).strip()


@dataclass
class Document:
    """A page's searchable content, before segmentation."""

    page_id: int
    kind: str
    path: str
    published_at: object
    title: str
    text: str
    codes: tuple[str, ...] = ()


def _notice_text(page: NoticePage) -> str:
    lines = [f"项目编号：{page.project_code}"]
    if page.section_code:
        lines.append(f"标段（包）编号：{page.section_code}")
    for name in NOTICE_TEXT_FIELDS:
        value = getattr(page, name, "")
        if value:
            label = page._meta.get_field(name).verbose_name
            lines.append(f"{label}：{value}")
    if isinstance(page, CandidatesNotice):
        # prefetched by the rebuild (candidates), else one query for this page
        names = "、".join(c.name for c in page.candidates.all())
        if names:
            lines.append(f"中标候选人：{names}")
    lines.append(html_to_text(page.body))
    return "\n".join(lines)


def document_for(page) -> Document:
    """The document of a specific ArticlePage or notice page."""
    if isinstance(page, NoticePage):
        kind, text = str(page.kind), _notice_text(page)
        codes = tuple(c for c in (page.project_code, page.section_code) if c)
    else:
        parts = [page.keywords, page.source_name, html_to_text(page.body)]
        kind, text, codes = ARTICLE, "\n".join(p for p in parts if p), ()
    return Document(
        page_id=page.pk,
        kind=kind,
        path=page.path,
        published_at=page.first_published_at or page.last_published_at or timezone.now(),
        title=page.title,
        text=text[: settings.SEARCH_MAX_TEXT],
        codes=codes,
    )
