"""Reads for the public portal. Each list is a bounded number of queries,
whatever the number of columns or articles."""

import contextlib
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db.models import F, Q
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from .models import ArticlePage, ColumnPage, ColumnPolicy, HomePage, SiteIdentity

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


def newer_or_same(first_published_at, pk: int) -> Q:
    """Pages at or after the key (first_published_at, pk) in OLDEST_FIRST order
    (the complement of ``older_than``)."""
    if first_published_at is None:
        return Q(first_published_at__isnull=False) | Q(first_published_at__isnull=True, pk__gte=pk)
    return Q(first_published_at__gt=first_published_at) | Q(first_published_at=first_published_at, pk__gte=pk)


# --------------------------------------------------------------------------- index-friendly tree reads
#
# Issue 8 (publish-to-live at 100,000 items): Wagtail's ``descendant_of`` and
# ``public`` filter with ``path__startswith``, which SQLite runs as
# ``LIKE … ESCAPE`` and never answers from the path index: every count of a
# column scanned all pages. A materialised path's descendants sort between the
# path and the path with its last character bumped (the path column is
# compared bytewise: BINARY on SQLite, COLLATE "C" on PostgreSQL), so a range
# of the index says the same. Migration portal 0002 adds the covering index
# (path, live, content_type_id, first_published_at) the counts are read from.


def subtree_q(path: str, *, inclusive: bool = False) -> Q:
    """Pages below ``path`` (and the page at ``path`` itself if ``inclusive``),
    as a range of the path index."""
    end = path[:-1] + chr(ord(path[-1]) + 1)
    return Q(path__gte=path, path__lt=end) if inclusive else Q(path__gt=path, path__lt=end)


def children_q(page: Page) -> Q:
    """The page's children (``child_of`` as a range of the path index)."""
    return subtree_q(page.path) & Q(depth=page.depth + 1)


def _columns_below(page: Page):
    """Live public child columns. By content type first (its index holds a few
    dozen columns): the children's path range under the home page spans the
    whole site."""
    return ColumnPage.objects.exact_type(ColumnPage).filter(children_q(page)).live().public().order_by("path")


def _restricted_paths() -> list[str]:
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


class ListingQuerySet(PageQuerySet):
    """Pages of a public listing (a column's items, the sitemap).

    ``public()`` excludes restricted subtrees by path ranges, and ``count()``
    is read once inside a render cache: a publish counts each column above the
    item for its archive pages, its ordinal, its front page and its newest
    archive page; the count is one query per column (the tree does not change
    while a publish or a build renders)."""

    def public(self):
        private = Q()
        for path in _cached(("restricted",), _restricted_paths):
            private |= subtree_q(path, inclusive=True)
        return self.exclude(private) if private else self

    def count(self) -> int:
        if _render_cache.get() is None or self._result_cache is not None:
            return super().count()
        try:
            sql, params = self.query.sql_with_params()
        except EmptyResultSet:  # e.g. pk__in=[]: Django answers 0 without a query
            return super().count()
        return _cached(("count", sql, tuple(params)), super().count)


def listing_pages():
    """Live, public pages (no order): the base of every public listing."""
    return ListingQuerySet(Page).live().public()


# Probes: a publish reads the newest end of every list (the front page, the
# newest archive page, the last sitemap chunk, an item's place). The newest
# pages of the whole site come from the first_published_at index in a few
# hundred rows whatever the size of the site; the list's own filter then runs on
# just those ids (primary-key lookups). When the probe does not hold enough of
# the list (a small column, an old key), the plain query runs instead: it then
# reads a small list, or an old part of a big one.
PROBE = 500
PROBE_MAX_ROWS = 2_500  # longer heads (never a publish) read the list itself


def _newest_ids(limit: int) -> list[int]:
    """The ``limit`` newest dated pages of the site (ids, NEWEST_FIRST); live or
    not, so that any listing's newest are among them."""
    return list(
        Page.objects.filter(first_published_at__isnull=False)
        .order_by("-first_published_at", "-pk")
        .values_list("pk", flat=True)[:limit]
    )


def newest_head(items, end: int) -> list:
    """``list(items[:end])`` of a NEWEST_FIRST listing (dated pages first),
    through the probe when it holds them all."""
    if end <= 0:
        return []
    if end <= PROBE_MAX_ROWS:
        rows = list(items.filter(pk__in=_newest_ids(max(PROBE, 2 * end)))[:end])
        # Enough of the list among the site's newest: no list item is newer than these.
        if len(rows) == end:
            return rows
    return list(items[:end])


def newest_first_slice(items, start: int, end: int, *, total: int) -> list:
    """``list(items[start:end])`` of a NEWEST_FIRST listing of ``total`` rows:
    the older half in reverse order (an OFFSET walks every row it skips), the
    newest end through the probe."""
    end = min(end, total)
    if start >= end:
        return []
    if start > total - end:
        return list(items.reverse()[total - end : total - start])[::-1]
    if end <= PROBE_MAX_ROWS:
        return newest_head(items, end)[start:]
    return list(items[start:end])


def listing_ordinal(items, *, first_published_at, pk: int) -> int:
    """How many of ``items`` (a listing queryset) come before the key
    (first_published_at, pk) in OLDEST_FIRST order: the list's size (read once
    per render cache) minus its items at or after the key, which for a new item
    are a few rows of the first_published_at index."""
    newer = list(
        Page.objects.filter(newer_or_same(first_published_at, pk))
        .order_by()
        .values_list("pk", flat=True)[: PROBE + 1]
    )
    if len(newer) > PROBE:
        return items.filter(older_than(first_published_at, pk)).order_by().count()
    return items.count() - (items.filter(pk__in=newer).order_by().count() if newer else 0)


# --------------------------------------------------------------------------- home


@dataclass(frozen=True)
class HomeSection:
    column: ColumnPage
    articles: list[Page]  # articles and structured notices alike
    pictures: tuple = ()  # (item, image) of its 图片新闻, newest first


# The home page's order after 交易信息 and 开标日程 (issue 20): 重要通知, 中心动态,
# 政策法规, 办事指南, 资料下载, then the other columns in the menu's order.
HOME_ORDER = ("zytz", "zxdt", "zcfg", "bszn", "zlxz")
PICTURE_COLUMN = "tpxw"  # 中心动态 › 图片新闻: shown with its images
HOME_PICTURES = 4
_IMAGE_EMBED = re.compile(r"<embed\b[^>]*>")
_EMBED_ID = re.compile(r'\bid="(\d+)"')


def first_image_id(html: str) -> int | None:
    """The first image embedded in a rich text field (``<embed embedtype="image" id="7"/>``)."""
    for tag in _IMAGE_EMBED.findall(html or ""):
        if 'embedtype="image"' in tag:
            match = _EMBED_ID.search(tag)
            if match:
                return int(match.group(1))
    return None


def picture_items(*, column: Page, limit: int = HOME_PICTURES) -> list[tuple]:
    """(article, image) of the newest items with an image in the column's 图片新闻
    sub-column: three queries."""
    sub = ColumnPage.objects.filter(children_q(column), slug=PICTURE_COLUMN).live().first()
    if sub is None:
        return []
    articles = list(
        ArticlePage.objects.live().public().filter(subtree_q(sub.path)).order_by(*NEWEST_FIRST)[: limit * 3]
    )
    wanted = [(a, first_image_id(a.body)) for a in articles]
    wanted = [(a, image_id) for a, image_id in wanted if image_id is not None][:limit]
    images = get_image_model().objects.in_bulk([image_id for _a, image_id in wanted])
    return [(a, images[image_id]) for a, image_id in wanted if image_id in images]


def home_order(sections: list[HomeSection]) -> list[HomeSection]:
    rank = {slug: i for i, slug in enumerate(HOME_ORDER)}
    return sorted(sections, key=lambda s: rank.get(s.column.slug, len(rank)))


def published_items():
    """Every live, public item of a column (articles, notices, …), as base pages:
    the home page needs only title, URL and publish time."""
    return listing_pages().not_type(ColumnPage, HomePage).filter(depth__gte=3).order_by(*NEWEST_FIRST)


def top_columns(*, home: Page):
    return _columns_below(home)


def home_sections(*, home: Page, per_column: int = HOME_ITEMS_PER_COLUMN) -> list[HomeSection]:
    """Every top-level column with its newest articles, never a pass over every
    item: the site's newest PROBE listed items (first_published_at index) are
    shared out to their top columns; a column with fewer than ``per_column``
    among them (a small one) gets an ``ORDER BY … LIMIT`` query of its own. A
    bounded number of queries: at most the number of columns plus four."""
    columns = list(top_columns(home=home))
    items = listing_pages().not_type(ColumnPage, HomePage).order_by(*NEWEST_FIRST)
    prefix_len = (home.depth + 1) * Page.steplen
    chosen: dict[str, list[int]] = {c.path: [] for c in columns}
    recent = (
        items.filter(first_published_at__isnull=False)
        .order_by("-first_published_at", "-pk")
        .values_list("pk", "path")[:PROBE]
    )
    for pk, path in recent:
        ids = chosen.get(path[:prefix_len])
        if ids is not None and len(ids) < per_column:
            ids.append(pk)
    pages = Page.objects.in_bulk([pk for ids in chosen.values() for pk in ids])
    sections = []
    for c in columns:
        ids = chosen[c.path]
        if len(ids) == per_column:
            articles = [pages[pk] for pk in ids]
        else:  # fewer among the site's newest: the column is small, read it
            articles = list(items.filter(subtree_q(c.path))[:per_column])
        sections.append(HomeSection(column=c, articles=articles))
    return sections


def home_page_sections(*, home: Page, skip: set[str] = frozenset()) -> list[HomeSection]:
    """The sections the home page shows: columns with something published (an empty
    box is no information; the inspection check ``portal.columns_kept`` still reports
    blank columns), in HOME_ORDER, 中心动态 with its 图片新闻 images."""
    sections = []
    for section in home_order(home_sections(home=home)):
        if not section.articles or section.column.slug in skip:
            continue
        if section.column.slug == "zxdt":
            section = HomeSection(
                section.column, section.articles, tuple(picture_items(column=section.column))
            )
        sections.append(section)
    return sections


# --------------------------------------------------------------------------- column listings

# What a list shows of an item (title, link, date): base pages with just these
# fields, so a list costs one query whatever the kinds of its items.
LISTED_FIELDS = ("id", "title", "url_path", "path", "depth", "first_published_at", "content_type_id")


def column_items(*, column: Page):
    """THE listing of a column: every live, public item below it (articles and
    structured notices alike), newest first. The dynamic column page, the static
    build, the feeds and the list page counts all read it."""
    return (
        listing_pages()
        .not_type(ColumnPage, HomePage)
        .filter(subtree_q(column.path))
        .order_by(*NEWEST_FIRST)
        .only(*LISTED_FIELDS)
    )


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
        return ListPage(newest_head(items, per_page), 0, total, per_page)
    if not 1 <= number <= archive_count(total, per_page):
        return None
    start, end = archive_slice(number, total, per_page)
    return ListPage(newest_first_slice(items, start, end, total=total), number, total, per_page)


def item_ordinal(*, column: Page, first_published_at, pk: int) -> int:
    """How many listed items of the column come before (are older than) the key
    (first_published_at, pk): the item's oldest-first ordinal."""
    return listing_ordinal(column_items(column=column), first_published_at=first_published_at, pk=pk)


def column_children(*, column: Page) -> list[ColumnPage]:
    return _cached(
        ("children", column.path),
        lambda: list(_columns_below(column)),
    )


def menu_columns(*, home: Page) -> list[tuple[ColumnPage, str]]:
    """The main navigation: top-level columns shown in menus, with their URLs."""
    return _cached(
        ("menu", home.path),
        lambda: [(c, c.url) for c in _columns_below(home).in_menu()],
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


# --------------------------------------------------------------------------- lanes


def lane_column_paths(user) -> list[str]:
    """The paths of the columns whose effective policy (its own, or the nearest
    column above with one) names the user's department as a source (信息来源):
    where the user's department drafts (issue 14 item 1). Three queries."""
    policy_paths = dict.fromkeys(ColumnPolicy.objects.values_list("column__path", flat=True), False)
    for path in ColumnPolicy.objects.filter(source_departments=user.department_id).values_list(
        "column__path", flat=True
    ):
        policy_paths[path] = True
    step = Page.steplen
    lane = []
    for path in ColumnPage.objects.values_list("path", flat=True):
        for end in range(len(path), 0, -step):
            if path[:end] in policy_paths:
                if policy_paths[path[:end]]:
                    lane.append(path)
                break
    return lane


# --------------------------------------------------------------------------- site identity


def identity_defaults() -> SiteIdentity:
    """Before the 网站管理员 saved the identity: the deployment's settings
    (GGZY_SITE_NAME, GGZY_SITE_DOMAIN, GGZY_SITE_ID_CODE); the rest is empty and
    the live check ``portal.site_identity_complete`` says what is missing."""
    return SiteIdentity(
        site_name=settings.WAGTAIL_SITE_NAME,
        domain=settings.GGZY_SITE_DOMAIN,
        site_code=settings.GGZY_SITE_ID_CODE,
    )


def site_identity() -> SiteIdentity:
    """The site's identification (one row), read once per render cache."""
    return _cached(
        ("site_identity",), lambda: SiteIdentity.objects.order_by("pk").first() or identity_defaults()
    )


def identity_base_url() -> str:
    """The saved 网站标识's address (scheme by its HTTPS box, its domain and port), or ""
    before one is saved: the base of e-mails' links (``ggzy.core.base_url``). One query."""
    row = SiteIdentity.objects.order_by("pk").values_list("domain", "https").first()
    if row is None or not row[0]:
        return ""
    return f"{'https' if row[1] else 'http'}://{row[0]}"


def sitemap_columns(*, home: Page | None) -> list[tuple[ColumnPage, str, list]]:
    """网站地图: the live public columns below the home page as a tree of
    (column, url, children) — one query for the whole tree."""
    if home is None:
        return []
    columns = list(ColumnPage.objects.live().public().descendant_of(home).order_by("path"))
    nodes: dict[str, tuple] = {}
    top: list[tuple] = []
    for column in columns:
        node = (column, column.url, [])
        nodes[column.path] = node
        parent = nodes.get(_parent_path(column))
        if parent is not None:
            parent[2].append(node)
        elif column.depth == home.depth + 1:
            top.append(node)
    return top
