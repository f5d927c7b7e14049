import datetime as dt

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import make_user
from ggzy.notices.choices import NoticeKind
from ggzy.portal.tests.factories import column
from ggzy.publishing.services import page_takedown
from ggzy.search.choices import ARTICLE, Order
from ggzy.search.models import SearchEntry
from ggzy.search.selectors import SearchInputError, search_site

from .factories import indexed_article, indexed_notice

pytestmark = pytest.mark.django_db


def titles(results):
    return [hit.page.title for hit in results.hits]


@pytest.fixture
def site_items():
    return {
        "tender": indexed_notice(
            NoticeKind.CONSTRUCTION_TENDER,
            title="焦作市山阳区道路改造工程施工招标公告",
            project_code="JZ2026-GC-018",
            project_name="山阳区道路改造工程",
        ),
        "purchase": indexed_notice(
            NoticeKind.PROCUREMENT_TENDER,
            title="焦作市第一中学教学设备政府采购公告",
            project_code="JZCG-2026-1",
            project_name="教学设备采购",
        ),
        "news": indexed_article("zxdt/hyxx", "全省公共资源交易工作会议召开", "<p>会议强调改造交易平台。</p>"),
        "guide": indexed_article(
            "bszn/fwzn", "招标公告发布流程说明", "<p>招标人在焦作市交易中心发布招标公告的流程。</p>"
        ),
    }


def test_a_chinese_word_finds_titles_and_bodies(site_items):
    results = search_site(query="招标公告", order=Order.NEWEST)
    assert set(titles(results)) == {site_items["tender"].title, site_items["guide"].title}
    assert results.total == 2


def test_all_words_in_any_order(site_items):
    assert titles(search_site(query="焦作 道路 改造")) == [site_items["tender"].title]
    assert titles(search_site(query="改造 道路 焦作")) == [site_items["tender"].title]
    # 改造 alone is in the tender and the news; with 会议 only the news has both
    assert titles(search_site(query="改造 会议")) == [site_items["news"].title]


def test_a_project_code_whole_partial_or_lower_case(site_items):
    tender = site_items["tender"].title
    assert titles(search_site(query="JZ2026-GC-018")) == [tender]
    assert titles(search_site(query="jz2026-gc-018")) == [tender]
    assert titles(search_site(query="JZ2026-GC")) == [tender]  # the beginning of a code
    assert titles(search_site(query="GC-018")) == [tender]  # its parts
    assert titles(search_site(query="JZCG-2026-1")) == [site_items["purchase"].title]


def test_a_word_inside_a_longer_dictionary_word(site_items):
    candidates = indexed_notice(NoticeKind.CONSTRUCTION_CANDIDATES, title="某学校改扩建工程中标候选人公示")
    assert titles(search_site(query="中标候选人")) == [candidates.title]
    assert titles(search_site(query="候选人")) == [candidates.title]
    # the candidates' names are searched too
    assert titles(search_site(query="甲建设有限公司")) == [candidates.title]


def test_nothing_found(site_items):
    results = search_site(query="不存在的词语")
    assert results.total == 0 and results.hits == []
    assert search_site(query="XYZ-999").total == 0


def test_filters_by_column_kind_and_date(site_items):
    trading = column("jyxx")
    assert set(titles(search_site(query="焦作", column_id=trading.pk))) == {
        site_items["tender"].title,
        site_items["purchase"].title,
    }
    sub = column("jyxx/zfcg")  # a sub-column
    assert titles(search_site(query="焦作", column_id=sub.pk)) == [site_items["purchase"].title]
    assert titles(search_site(query="焦作", kind=ARTICLE)) == [site_items["guide"].title]
    assert titles(search_site(query="焦作", kind=NoticeKind.PROCUREMENT_TENDER)) == [
        site_items["purchase"].title
    ]
    today = timezone.localdate()
    assert search_site(query="焦作", date_from=today, date_to=today).total == 3
    assert search_site(query="焦作", date_to=today - dt.timedelta(days=1)).total == 0
    assert search_site(query="焦作", date_from=today + dt.timedelta(days=1)).total == 0
    # filters alone list the newest
    listing = search_site(query="", column_id=column("bszn").pk)
    assert titles(listing) == [site_items["guide"].title] and listing.order == Order.NEWEST


def test_highlight_escapes_html_before_marking(site_items):
    evil = indexed_article(
        "zxdt/hyxx",
        "<script>alert(1)</script>招标公告说明",
        "<p>正文提到 &lt;b&gt; 标记与招标公告。</p>",
    )
    hit = next(h for h in search_site(query="招标公告").hits if h.page.pk == evil.pk)
    assert "<script>" not in hit.title_html
    assert hit.title_html == "&lt;script&gt;alert(1)&lt;/script&gt;<mark>招标公告</mark>说明"
    assert "&lt;b&gt;" in hit.excerpt_html and "<b>" not in hit.excerpt_html
    assert "<mark>招标公告</mark>" in hit.excerpt_html


def test_excerpt_is_cut_around_the_first_match():
    body = "<p>" + "无关内容。" * 100 + "这里是道路改造的说明。" + "其他内容。" * 100 + "</p>"
    indexed_article("zxdt/hyxx", "长文章", body)
    (hit,) = search_site(query="道路改造").hits
    assert hit.excerpt_html.startswith("…") and hit.excerpt_html.endswith("…")
    assert (
        "<mark>道路</mark><mark>改造</mark>" in hit.excerpt_html
        or "<mark>道路改造</mark>" in hit.excerpt_html
    )
    assert len(hit.excerpt_html) < 400


def test_takedown_and_unpublish_remove_from_results(site_items):
    publisher = make_user(R.PUBLISHER, department="xinxi")
    with TestCase.captureOnCommitCallbacks(execute=True):
        page_takedown(page=site_items["guide"], actor=publisher, reason="信息有误需撤下")
    assert titles(search_site(query="招标公告")) == [site_items["tender"].title]
    with TestCase.captureOnCommitCallbacks(execute=True):
        site_items["tender"].unpublish()
    assert search_site(query="招标公告").total == 0
    assert not SearchEntry.objects.filter(page_id=site_items["tender"].pk).exists()
    # published again: back in the index
    with TestCase.captureOnCommitCallbacks(execute=True):
        site_items["tender"].save_revision().publish()
    assert titles(search_site(query="招标公告")) == [site_items["tender"].title]


def test_editing_a_live_page_reindexes_it(site_items):
    news = site_items["news"]
    news.title = "全省公共资源交易平台升级会议召开"
    with TestCase.captureOnCommitCallbacks(execute=True):
        news.save_revision().publish()
    assert titles(search_site(query="升级")) == [news.title]


def test_relevance_puts_title_matches_first(site_items):
    results = search_site(query="招标公告", order=Order.RELEVANCE)
    assert results.total == 2
    newest = search_site(query="焦作", order=Order.NEWEST)
    dates = [h.published_at for h in newest.hits]
    assert dates == sorted(dates, reverse=True)


def test_pagination(site_items):
    for i in range(5):
        indexed_article("zxdt/hyxx", f"道路养护简报{i}")
    first = search_site(query="道路", per_page=2, page=1, order=Order.NEWEST)
    assert first.total == 6 and first.num_pages == 3 and first.has_next and not first.has_previous
    last = search_site(query="道路", per_page=2, page=3, order=Order.NEWEST)
    assert len(last.hits) == 2 and not last.has_next
    seen = (
        titles(first)
        + titles(search_site(query="道路", per_page=2, page=2, order=Order.NEWEST))
        + titles(last)
    )
    assert len(set(seen)) == 6
    assert search_site(query="道路", per_page=2, page=9).hits == []


def test_query_count_does_not_grow_with_results(site_items):
    search_site(query="焦作")  # warm the site-root cache used for URLs
    with CaptureQueriesContext(connection) as few:
        search_site(query="焦作")
    for i in range(15):
        indexed_article("zxdt/hyxx", f"焦作市简讯{i}")
    with CaptureQueriesContext(connection) as many:
        results = search_site(query="焦作")
    assert len(results.hits) == 18
    assert len(many) == len(few) <= 5  # restrictions, columns, count, rows, pages


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"query": "长" * 101}, "不能超过100个字"),
        ({"query": "招标", "page": 0}, "页码"),
        ({"query": "招标", "page": 100000}, "页码"),
        ({"query": "招标", "kind": "nonsense"}, "信息类型无效"),
        ({"query": "招标", "column_id": 999999}, "栏目不存在"),
        ({"query": "招标", "date_from": dt.date(2026, 2, 1), "date_to": dt.date(2026, 1, 1)}, "开始日期"),
        ({"query": "！？。"}, "没有可搜索的字词"),
        ({"query": "  "}, "请输入搜索关键词"),
    ],
)
def test_bad_input_is_refused_in_chinese(kwargs, message):
    with pytest.raises(SearchInputError, match=message):
        search_site(**kwargs)
