"""Reads of the public search: the results page and the filter choices. Every
search is a bounded number of queries, whatever the number of results."""

import datetime as dt
import math
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from wagtail.models import Page

from ggzy.portal.models import ColumnPage

from . import engines
from .choices import Order, kind_choices, kind_label
from .highlight import excerpt, highlight
from .models import SearchEntry, seq_at
from .segmentation import highlight_words, parse_query

MAX_QUERY_CHARS = 100
MAX_PER_PAGE = 100
MAX_PAGE = 1000


class SearchInputError(ValueError):
    """Bad search input; the message is shown to the visitor (Chinese)."""


@dataclass(frozen=True)
class SearchHit:
    page: Page
    url: str
    title_html: SafeString
    excerpt_html: SafeString
    kind: str
    kind_label: str
    column_title: str
    published_at: dt.datetime


@dataclass
class SearchResults:
    query: str
    order: str
    page: int
    per_page: int
    total: int = 0
    capped: bool = False  # more matches than SEARCH_MAX_RESULTS: total is a floor
    hits: list[SearchHit] = field(default_factory=list)
    words: tuple[str, ...] = ()

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def previous_page(self) -> int:
        return self.page - 1

    @property
    def next_page(self) -> int:
        return self.page + 1


@dataclass(frozen=True)
class ColumnChoice:
    id: int
    title: str
    depth: int  # 1 = top column, 2 = its sub-column, …
    path: str


def column_choices() -> list[ColumnChoice]:
    """The column tree (top columns and their sub-columns), in menu order: one
    query, by content type (columns never carry view restrictions in ggzy)."""
    rows = (
        Page.objects.type(ColumnPage)
        .filter(live=True)
        .order_by("path")
        .values_list("pk", "title", "depth", "path")
    )
    if not rows:
        return []
    top = min(r[2] for r in rows)
    return [
        ColumnChoice(id=pk, title=title, depth=depth - top + 1, path=path) for pk, title, depth, path in rows
    ]


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def search_site(
    *,
    query: str,
    column_id: int | None = None,
    kind: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    page: int = 1,
    per_page: int = 20,
    order: str = Order.RELEVANCE,
) -> SearchResults:
    """Live, public articles and notices matching every word of ``query`` (in any
    order), in a column (and its sub-columns), of a kind, published within the
    dates; newest first or by relevance. Raises SearchInputError (Chinese)."""
    query = " ".join((query or "").split())
    if len(query) > MAX_QUERY_CHARS:
        raise SearchInputError(_("搜索关键词不能超过%(n)s个字。") % {"n": MAX_QUERY_CHARS})
    if not 1 <= page <= MAX_PAGE:
        raise SearchInputError(_("页码应在1到%(n)s之间。") % {"n": MAX_PAGE})
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise SearchInputError(_("每页条数应在1到%(n)s之间。") % {"n": MAX_PER_PAGE})
    if kind and kind not in dict(kind_choices()):
        raise SearchInputError(_("信息类型无效。"))
    if date_from and date_to and date_from > date_to:
        raise SearchInputError(_("开始日期不能晚于结束日期。"))
    if order not in (Order.RELEVANCE, Order.NEWEST):
        raise SearchInputError(_("排序方式无效。"))
    terms = parse_query(query)
    if query and not terms:
        raise SearchInputError(_("关键词中没有可搜索的字词，请换一个关键词。"))
    if not terms and not (column_id or kind or date_from or date_to):
        raise SearchInputError(_("请输入搜索关键词。"))

    columns = {c.path: c for c in column_choices()}
    filters = engines.Filters(kind=kind)
    if column_id is not None:
        column = next((c for c in columns.values() if c.id == column_id), None)
        if column is None:
            raise SearchInputError(_("所选栏目不存在。"))
        filters = replace(filters, path_prefix=column.path)
    if date_from:
        filters = replace(filters, seq_from=seq_at(_day_start(date_from)))
    if date_to:
        filters = replace(filters, seq_to=seq_at(_day_start(date_to + dt.timedelta(days=1))) - 1)
    cap = settings.SEARCH_MAX_RESULTS
    if terms:
        ids = engines.match(terms, filters, order, cap)
    else:
        ids = _newest_ids(filters, cap)
        order = Order.NEWEST

    results = SearchResults(query=query, order=order, page=page, per_page=per_page)
    results.words = tuple(highlight_words(terms))
    results.total, results.capped = len(ids), len(ids) >= cap
    page_ids = ids[(page - 1) * per_page : page * per_page]
    if not page_ids:
        return results
    entries = SearchEntry.objects.in_bulk(page_ids)
    pages = Page.objects.in_bulk(page_ids)
    for page_id in page_ids:
        entry, item = entries.get(page_id), pages.get(page_id)
        if entry is None or item is None:  # removed since the search ran
            continue
        column = columns.get(entry.path[: -Page.steplen])
        results.hits.append(
            SearchHit(
                page=item,
                url=item.url or "",
                title_html=highlight(entry.title, results.words),
                excerpt_html=excerpt(entry.text, results.words),
                kind=entry.kind,
                kind_label=kind_label(entry.kind),
                column_title=column.title if column else "",
                published_at=entry.published_at,
            )
        )
    return results


def _newest_ids(filters: engines.Filters, cap: int) -> list[int]:
    """Filters without words: the newest entries."""
    entries = filters.apply(SearchEntry.objects.all())
    return list(entries.order_by("-seq").values_list("page_id", flat=True)[:cap])
