"""Reads for the public portal. Each list is a bounded number of queries,
whatever the number of columns or articles."""

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber, Substr
from wagtail.models import Page

from .models import ColumnPage, ColumnPolicy, HomePage

HOME_ITEMS_PER_COLUMN = 6

# --------------------------------------------------------------------------- render cache

_render_cache: ContextVar[dict | None] = ContextVar("portal_render_cache", default=None)


@contextlib.contextmanager
def render_cache() -> Iterator[None]:
    """Inside: what every public page reads again (the menu, a page's ancestors,
    column policies, sub-columns, an item's column) is read once. For the static
    build, which renders thousands of pages of one unchanging tree; a request to
    the dynamic site never uses it, so both render the same bytes."""
    token = _render_cache.set({})
    try:
        yield
    finally:
        _render_cache.reset(token)


def _cached(key: tuple, compute: Callable):
    cache = _render_cache.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def cached_while_rendering(key: tuple, compute: Callable):
    """The value inside a render cache (computed once), or None outside one: for
    a shortcut only the static build takes (a whole-site fact read once)."""
    if _render_cache.get() is None:
        return None
    return _cached(key, compute)


def _parent_path(page: Page) -> str:
    return page.path[: -Page.steplen]


# The stable order key of every list: (first_published_at, id); a page never
# published (no date, e.g. a column set up by a script) counts as the oldest.
NEWEST_FIRST = (F("first_published_at").desc(nulls_last=True), F("pk").desc())
OLDEST_FIRST = (F("first_published_at").asc(nulls_first=True), F("pk").asc())


def older_than(first_published_at, pk: int) -> Q:
    """Pages before the key (first_published_at, pk) in OLDEST_FIRST order."""
    undated = Q(first_published_at__isnull=True)
    if first_published_at is None:
        return undated & Q(pk__lt=pk)
    return (
        undated
        | Q(first_published_at__lt=first_published_at)
        | Q(first_published_at=first_published_at, pk__lt=pk)
    )


@dataclass(frozen=True)
class HomeSection:
    column: ColumnPage
    articles: list[Page]  # articles and structured notices alike


def published_items():
    """Every live, public item of a column (articles, notices, …), as base pages:
    the home page needs only title, URL and publish time."""
    return (
        Page.objects.live()
        .public()
        .not_type(ColumnPage, HomePage)
        .filter(depth__gte=3)
        .order_by(*NEWEST_FIRST)
    )


def top_columns(*, home: Page):
    return ColumnPage.objects.child_of(home).live().public().order_by("path")


def home_sections(*, home: Page, per_column: int = HOME_ITEMS_PER_COLUMN) -> list[HomeSection]:
    """Every top-level column with its newest articles (two queries in all)."""
    columns = list(top_columns(home=home))
    prefix_len = (home.depth + 1) * Page.steplen
    ranked = published_items().annotate(
        column_path=Substr("path", 1, prefix_len),
        rank=Window(
            RowNumber(),
            partition_by=[Substr("path", 1, prefix_len)],
            order_by=[F("first_published_at").desc(), F("pk").desc()],
        ),
    )
    by_column: dict[str, list[Page]] = {}
    for article in ranked.filter(path__startswith=home.path, rank__lte=per_column):
        by_column.setdefault(article.column_path, []).append(article)
    return [HomeSection(column=c, articles=by_column.get(c.path, [])) for c in columns]


# --------------------------------------------------------------------------- column listings

# What a list shows of an item (title, link, date): base pages with just these
# fields, so a list costs one query whatever the kinds of its items.
LISTED_FIELDS = ("id", "title", "url_path", "path", "depth", "first_published_at", "content_type_id")


def column_items(*, column: Page):
    """THE listing of a column: every live, public item below it (articles and
    structured notices alike), newest first. The dynamic column page, the static
    build, the feeds and the list page counts all read it."""
    return published_items().descendant_of(column).only(*LISTED_FIELDS)


@dataclass(frozen=True)
class ListPage:
    """One page of a column's list.

    Number 0 is the front page: the newest ``per_page`` items. Archive pages are
    numbered from the OLDEST item: archive page k holds the items whose
    oldest-first ordinal (by first publication time, then id) is in
    [(k-1)·per_page, k·per_page), shown newest first. Publishing an item changes
    only the front page and the newest archive page of each column above it, so
    the static archive pages stay as they are (issue 8: publish-to-live latency
    must not grow with a column's size).

    Nothing on archive page k depends on the total count, only on its own items
    and on whether page k+1 exists.
    """

    object_list: list
    number: int
    total: int
    per_page: int

    WINDOW = 4  # numbered links before the current page

    @property
    def archive_count(self) -> int:
        return archive_count(self.total, self.per_page)

    @property
    def is_front(self) -> bool:
        return self.number == 0

    @property
    def newer(self) -> int | None:
        """The next newer page (0 = the front page); None on the front page."""
        if self.is_front:
            return None
        return self.number + 1 if self.number < self.archive_count else 0

    @property
    def older(self) -> int | None:
        """The archive page holding the next older items, or None."""
        if self.is_front:
            # The archive page of the item just older than the oldest one shown here.
            return (self.total - self.per_page - 1) // self.per_page + 1 if self.archive_count else None
        return self.number - 1 if self.number > 1 else None

    @property
    def numbers(self) -> list[int]:
        """Archive page numbers to link: the newest ones on the front page, a
        window ending one page newer on an archive page (never the total)."""
        if self.is_front:
            last = self.archive_count
            return list(range(max(1, last - self.WINDOW), last + 1)) if last else []
        return list(range(max(1, self.number - self.WINDOW), min(self.archive_count, self.number + 1) + 1))


def archive_count(total: int, per_page: int) -> int:
    """Archive pages of a list of ``total`` items (none while the front page shows all)."""
    return 0 if total <= per_page else -(-total // per_page)


def archive_slice(number: int, total: int, per_page: int) -> tuple[int, int]:
    """[start, end) of archive page ``number`` in NEWEST-first positions."""
    oldest_start = (number - 1) * per_page
    oldest_end = min(number * per_page, total)
    return total - oldest_end, total - oldest_start


def column_list_page(*, items, number: int = 0, per_page: int | None = None) -> ListPage | None:
    """Page ``number`` (0 = front) of a newest-first listing queryset (``column_items``
    or a filtered notice listing); None if there is no such page. Two queries."""
    per_page = per_page or settings.GGZY_PAGE_SIZE
    total = items.count()
    if number == 0:
        return ListPage(list(items[:per_page]), 0, total, per_page)
    if not 1 <= number <= archive_count(total, per_page):
        return None
    start, end = archive_slice(number, total, per_page)
    return ListPage(list(items[start:end]), number, total, per_page)


def item_ordinal(*, column: Page, first_published_at, pk: int) -> int:
    """How many listed items of the column come before (are older than) the key
    (first_published_at, pk): the item's oldest-first ordinal."""
    return published_items().descendant_of(column).filter(older_than(first_published_at, pk)).count()


def column_children(*, column: Page) -> list[ColumnPage]:
    return _cached(
        ("children", column.path),
        lambda: list(ColumnPage.objects.child_of(column).live().public().order_by("path")),
    )


def menu_columns(*, home: Page) -> list[tuple[ColumnPage, str]]:
    """The main navigation: top-level columns shown in menus, with their URLs."""
    return _cached(
        ("menu", home.path),
        lambda: [
            (c, c.url) for c in ColumnPage.objects.child_of(home).live().public().in_menu().order_by("path")
        ],
    )


def breadcrumb_ancestors(page: Page) -> list[tuple[Page, str]]:
    """The page's ancestors below the tree root (the home page first), with their URLs."""
    return _cached(
        ("ancestors", _parent_path(page)),
        lambda: [(a, a.url) for a in page.get_ancestors().filter(depth__gt=1).specific(defer=True)],
    )


def column_of(page: Page) -> ColumnPage | None:
    """The column an item is published in (its parent)."""
    parent = _parent_path(page)
    return _cached(("column", parent), lambda: ColumnPage.objects.filter(path=parent).first())


def policy_for_page(page: Page) -> ColumnPolicy:
    """The policy of the nearest column at or above the page; the regulation's
    default layout (宋体 4号 黑色 22磅) where no column carries one."""
    # Only columns carry a policy: an item's is its column's.
    own = issubclass(page.specific_class or Page, ColumnPage | HomePage)
    key = ("policy", page.path if own else _parent_path(page))

    def compute():
        policy = (
            ColumnPolicy.objects.filter(column__in=page.get_ancestors(inclusive=True))
            .select_related("column")
            .order_by("-column__depth")
            .first()
        )
        return policy or ColumnPolicy()

    return _cached(key, compute)
