"""The public listings read at 100,000 items (issue 8): the probes of the site's
newest pages, the path ranges and the counts read once must give exactly what
the plain queries give, and a bounded number of queries."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.encoding import iri_to_uri
from wagtail.models import Page, PageViewRestriction, Site

from ggzy.portal import selectors, sitemaps
from ggzy.portal.models import ColumnPage, HomePage
from ggzy.portal.tests.factories import column, publish_article

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def publish_series(parent, prefix: str, count: int, *, start=START, step=dt.timedelta(hours=1)):
    """``count`` articles published one ``step`` apart from ``start``."""
    articles = []
    for i in range(count):
        with time_machine.travel(start + i * step, tick=False):
            articles.append(publish_article(parent, f"{prefix}{i}"))
    return articles


def plain_items(page):
    """A column's listing the plain way (Wagtail's filters, no probe, no range)."""
    return (
        Page.objects.live()
        .public()
        .descendant_of(page)
        .not_type(ColumnPage, HomePage)
        .order_by(*selectors.NEWEST_FIRST)
    )


def titles(pages) -> list[str]:
    return [p.title for p in pages]


@pytest.fixture
def site_items():
    """A big column, a small one among its siblings, an interleaved top column."""
    publish_series(column("jyxx/jsgc/zbgg"), "招标", 30)
    publish_series(column("jyxx/jsgc/zbgs"), "结果", 4, start=START + dt.timedelta(minutes=30))
    publish_series(column("zwgk"), "政务", 3, start=START - dt.timedelta(days=30))
    publish_series(
        column("zytz"), "通知", 9, start=START + dt.timedelta(minutes=10), step=dt.timedelta(hours=3)
    )


@pytest.mark.parametrize("probe", [500, 3])
def test_home_sections_are_the_newest_of_each_column_with_or_without_the_probe(
    site_items, monkeypatch, probe
):
    monkeypatch.setattr(selectors, "PROBE", probe)  # 3: most columns read their own list
    home = Site.objects.get(is_default_site=True).root_page
    sections = selectors.home_sections(home=home)
    assert [s.column.slug for s in sections] == [c.slug for c in selectors.top_columns(home=home)]
    for section in sections:
        expected = plain_items(section.column)[: selectors.HOME_ITEMS_PER_COLUMN]
        assert titles(section.articles) == titles(expected), section.column.slug
    assert titles(sections[4].articles) == [f"招标{i}" for i in range(29, 23, -1)]  # 交易信息


def test_home_queries_are_bounded_by_the_columns_not_the_items(django_assert_max_num_queries):
    home = Site.objects.get(is_default_site=True).root_page
    bound = len(selectors.top_columns(home=home)) + 4
    with django_assert_max_num_queries(bound):
        selectors.home_sections(home=home)
    publish_series(column("jyxx/jsgc/zbgg"), "招标", 25)
    publish_series(column("zxdt/hyxx"), "行业", 8)
    with django_assert_max_num_queries(bound):
        selectors.home_sections(home=home)


@pytest.mark.parametrize("probe", [500, 3])
def test_list_pages_and_ordinals_match_the_plain_queries(site_items, settings, monkeypatch, probe):
    settings.GGZY_PAGE_SIZE = 7
    monkeypatch.setattr(selectors, "PROBE", probe)
    for path in ["jyxx", "jyxx/jsgc/zbgs", "zytz", "ztdh"]:
        page = column(path)
        plain = list(plain_items(page))
        assert selectors.column_items(column=page).count() == len(plain)
        for number in range(selectors.archive_count(len(plain), 7) + 1):
            list_page = selectors.column_list_page(items=selectors.column_items(column=page), number=number)
            if number == 0:
                expected = plain[:7]
            else:
                start, end = selectors.archive_slice(number, len(plain), 7)
                expected = plain[start:end]
            assert titles(list_page.object_list) == titles(expected), (path, number)
        oldest_first = plain[::-1]
        keys = [(p.first_published_at, p.pk) for p in oldest_first]
        keys += [(START + dt.timedelta(days=400), 1), (START - dt.timedelta(days=400), 10**6), (None, 1)]
        for first_published_at, pk in keys:
            expected = plain_items(page).filter(selectors.older_than(first_published_at, pk)).count()
            got = selectors.item_ordinal(column=page, first_published_at=first_published_at, pk=pk)
            assert got == expected, (path, first_published_at, pk)


def test_without_the_probe_slices_are_read_from_the_nearer_end(monkeypatch):
    monkeypatch.setattr(selectors, "PROBE_MAX_ROWS", 1)  # no probe: the plain slices
    publish_series(column("zytz"), "通知", 9)
    items = selectors.column_items(column=column("zytz"))
    plain = list(plain_items(column("zytz")))
    for start, end in [(0, 2), (3, 5), (6, 8), (7, 9), (8, 12)]:
        with CaptureQueriesContext(connection) as queries:
            got = selectors.newest_first_slice(items, start, end, total=9)
        assert titles(got) == titles(plain[start:end]), (start, end)
        # The older half reads in reverse order from the oldest end (OFFSET stays small).
        assert (" ASC" in queries[-1]["sql"].split("ORDER BY")[1]) == (start > 9 - min(end, 9))


def test_restricted_sections_stay_out_of_every_listing(site_items):
    restricted = column("jyxx/jsgc/zbgs")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    listed = titles(selectors.column_items(column=column("jyxx")))
    assert listed and not any(t.startswith("结果") for t in listed)
    assert listed == titles(plain_items(column("jyxx")))
    site = Site.objects.get(is_default_site=True)
    urls = sitemaps.sitemap_chunk_xml(site, 1).decode()
    assert "/jyxx/jsgc/zbgs/" not in urls and "/jyxx/jsgc/zbgg/" in urls


def test_a_listing_is_counted_once_inside_a_render_cache():
    items = selectors.column_items(column=column("zwgk"))
    with CaptureQueriesContext(connection) as outside:
        items.count()
        items.count()
    with selectors.render_cache(), CaptureQueriesContext(connection) as inside:
        items.count()
        selectors.column_items(column=column("zwgk")).count()
        assert items.filter(pk__in=[]).count() == 0  # no SQL at all: never cached
    counts = [q for q in inside if "COUNT(" in q["sql"]]
    assert len([q for q in outside if "COUNT(" in q["sql"]]) == 2 and len(counts) == 1


@pytest.mark.parametrize("probe", [500, 3])
def test_sitemap_chunks_and_ordinals_match_the_plain_order(site_items, monkeypatch, probe):
    monkeypatch.setattr(sitemaps, "SITEMAP_LIMIT", 15)
    monkeypatch.setattr(selectors, "PROBE", probe)
    site = Site.objects.get(is_default_site=True)
    plain = list(
        Page.objects.live()
        .public()
        .descendant_of(site.root_page, inclusive=True)
        .order_by(*selectors.OLDEST_FIRST)
        .values_list("url_path", flat=True)
    )
    skip = len(site.root_page.url_path)
    listed = []
    for number in range(1, sitemaps.sitemap_chunk_count(site) + 1):
        listed += re.findall(
            r"<loc>https?://[^/]+(/[^<]*)</loc>", sitemaps.sitemap_chunk_xml(site, number).decode()
        )
    assert len(plain) > 3 * 15
    assert listed == [iri_to_uri("/" + u[skip:]) for u in plain]
    for page in Page.objects.live().filter(depth__gte=4).order_by("?")[:10]:
        ordinal = sitemaps.sitemap_ordinal(site=site, first_published_at=page.first_published_at, pk=page.pk)
        assert ordinal == plain.index(page.url_path)


def test_the_listing_index_exists():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "wagtailcore_page")
    index = constraints["portal_page_listing_idx"]
    assert index["columns"] == ["path", "live", "content_type_id", "first_published_at"]


def test_subtree_ranges_are_the_descendants():
    home = Site.objects.get(is_default_site=True).root_page
    trading = column("jyxx")
    below = set(Page.objects.filter(selectors.subtree_q(trading.path)).values_list("pk", flat=True))
    assert below == set(Page.objects.descendant_of(trading).values_list("pk", flat=True))
    children = set(Page.objects.filter(selectors.children_q(home)).values_list("pk", flat=True))
    assert children == set(Page.objects.child_of(home).values_list("pk", flat=True))


def test_listed_urls_inside_a_render_cache_are_wagtails_urls():
    from ggzy.portal.templatetags.portal_tags import listed_url

    articles = [
        # Slugs typed on purpose (a title's own slug is replaced by YYYYMMDD-n: portal.slugs).
        publish_article(column("zwgk"), "中心简介（2026年）", slug="中心简介"),
        publish_article(
            column("jyxx/jsgc/zbgg"),
            "焦作市 道路~改造@工程:招标公告",
            slug="道路改造工程",
            department="jianshe",
        ),
        publish_article(column("zxdt/hyxx"), "plain-ascii"),
    ]
    assert any("%" in a.url for a in articles)  # a non-ASCII slug is quoted
    pages = list(Page.objects.filter(pk__in=[a.pk for a in articles]).only(*selectors.LISTED_FIELDS))
    expected = {p.pk: p.url for p in pages}
    with selectors.render_cache(), CaptureQueriesContext(connection) as queries:
        assert {p.pk: listed_url(p) for p in pages} == expected
        assert {p.pk: listed_url(p) for p in pages} == expected
    assert len(queries) <= 2 * len(pages)  # per column, not per call
