import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ggzy.notices.selectors import TAB_ITEMS
from ggzy.portal.models import ColumnPage, ColumnPolicy
from ggzy.portal.services import column_policy_update
from ggzy.portal.tests.factories import applied_layout, column, publish_article

pytestmark = pytest.mark.django_db

TOP_LEVEL_SLUGS = ["zwgk", "ztdh", "zxdt", "zytz", "jyxx", "bszn", "zcfg", "llyj", "zlxz", "whyd", "tpzs"]


def meta(html: str, name: str) -> str | None:
    match = re.search(rf'<meta name="{name}" content="([^"]*)">', html)
    return match.group(1) if match else None


def test_home_menu_has_all_eleven_columns_and_shows_no_empty_boxes(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert '<a class="skip-link" href="#main">' in html
    nav = html.split('aria-label="网站栏目"')[1].split("</nav>")[0]
    assert re.findall(r'href="/(\w+)/"', nav) == TOP_LEVEL_SLUGS
    # Nothing published: no column box at all (an empty box says nothing; the
    # inspection check portal.columns_kept reports blank columns instead).
    assert html.count('<section class="section') == 0
    assert "暂无信息" not in html
    publish_article(column("zxdt/hyxx"), "行业动态一则")
    html = client.get("/").content.decode()
    assert html.count('<section class="section') == 1
    assert 'class="section section-zxdt"' in html
    assert meta(html, "SiteName") == "焦作市公共资源交易中心"
    assert meta(html, "SiteDomain") == "ggzy.jiaozuo.gov.cn"


def test_home_shows_latest_items_per_column_in_bounded_queries(client):
    bidding = column("jyxx/jsgc/zbgg")
    titles = [f"招标公告{i}" for i in range(TAB_ITEMS + 2)]
    for title in titles:
        publish_article(bidding, title, department="jianshe")
    publish_article(column("zwgk"), "中心简介")
    publish_article(column("zxdt/hyxx"), "行业信息")  # every section shown in both counts
    client.get("/")  # warm Wagtail's site-root-paths cache, else the first count depends on test order
    with CaptureQueriesContext(connection) as few:
        html = client.get("/").content.decode()
    trading = html.split('id="trade-construction-notice"')[1].split("</section>")[0]
    # newest first, capped per tab (the 交易信息 block stands for the column's own box)
    assert re.findall(r">(招标公告\d+)</a>", trading) == list(reversed(titles))[:TAB_ITEMS]
    assert "中心简介" in html.split(">政务公开</a></h2>")[1].split("</section>")[0]
    for i in range(20):
        publish_article(column("zxdt/hyxx"), f"[政府采购]行业信息{i}")
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    # No query per article: at most one per top column (a column with too few
    # among the site's newest reads its own), whatever the number of items.
    assert len(many) <= len(few)


def test_every_column_page_renders(client):
    for page in ColumnPage.objects.all():
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        assert f"<h1>{page.title}</h1>" in html
        assert meta(html, "ColumnName") == page.title
        assert meta(html, "ColumnType")


def test_column_layout_requirement_is_in_its_css(client):
    html = client.get(column("zwgk").url).content.decode()
    style = applied_layout(html)
    assert "SimSun" in style and "font-size: 14pt" in style
    assert "color: #000000" in style and "line-height: 22pt" in style

    policy = ColumnPolicy.objects.get(column__slug="zwgk")
    column_policy_update(policy=policy, data={"font_size": "小四", "line_spacing_pt": 28})
    style = applied_layout(client.get(column("zwgk").url).content.decode())
    assert "font-size: 12pt" in style and "line-height: 28pt" in style


def test_column_lists_descendant_articles_front_page_newest_archives_from_the_oldest(client, settings):
    settings.GGZY_PAGE_SIZE = 5
    parent = column("jyxx/zfcg")
    for i in range(7):
        publish_article(column("jyxx/zfcg/cggg"), f"采购公告{i}", department="caigou")

    def titles(html):
        return re.findall(r">(采购公告\d)</a>", html)

    front = client.get(parent.url).content.decode()
    assert titles(front) == ["采购公告6", "采购公告5", "采购公告4", "采购公告3", "采购公告2"]
    assert "最新 5 条，共 7 条" in front
    assert 'href="?page=1" rel="next">较早一页' in front  # 采购公告1 is on archive page 1
    # Archive page 1 holds the five oldest, page 2 the rest (newest first within a page).
    first = client.get(parent.url + "?page=1").content.decode()
    assert titles(first) == ["采购公告4", "采购公告3", "采购公告2", "采购公告1", "采购公告0"]
    assert "往期信息 第 1 页" in first and "共 7 条" not in first
    assert 'href="?page=2" rel="prev">较新一页' in first and "较早一页" not in first
    second = client.get(parent.url + "?page=2").content.decode()
    assert titles(second) == ["采购公告6", "采购公告5"]
    assert f'href="{parent.url}" rel="prev">较新一页' in second  # the newest archive page leads to the front
    assert '<span aria-current="page">第2页</span>' in second
    # Pages that do not exist are a 404, never a 500.
    for junk in ("99", "0", "-1", "abc"):
        assert client.get(parent.url + "?page=" + junk).status_code == 404


def test_column_lists_articles_and_notices_alike_and_counts_them_together(client, settings):
    from ggzy.notices.choices import NoticeKind
    from ggzy.notices.tests.factories import publish_notice

    settings.GGZY_PAGE_SIZE = 2
    trading = column("jyxx/jsgc")
    publish_article(column("jyxx/jsgc/zbgg"), "建设工程文章", department="jianshe")
    notice = publish_notice(NoticeKind.CONSTRUCTION_RESULT)
    publish_notice(NoticeKind.CONSTRUCTION_RESULT)
    front = client.get(trading.url).content.decode()
    assert "共 3 条" in front and notice.title in front
    assert "建设工程文章" in client.get(trading.url + "?page=1").content.decode()


def test_article_page_shows_date_source_and_government_meta(client):
    article = publish_article(
        column("jyxx/jsgc/zbgg"),
        "某某工程施工招标公告",
        body="<p>招标内容</p>",
        department="jianshe",
        keywords="施工,招标",
    )
    html = client.get(article.url).content.decode()
    assert meta(html, "ArticleTitle") == "某某工程施工招标公告"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", meta(html, "PubDate"))
    assert meta(html, "ContentSource") == "建设工程交易科"
    assert meta(html, "Keywords") == "施工,招标"
    assert meta(html, "ColumnName") == "招标公告"
    assert meta(html, "ColumnType") == "交易信息"
    assert "发布时间：" in html and "信息来源：建设工程交易科" in html
    assert "<p>招标内容</p>" in html
    assert "font-size: 14pt" in applied_layout(html)  # the column's layout applies to the article text


def test_no_external_assets_on_public_pages(client):
    article = publish_article(column("zxdt/ztxx"), "动态")
    for url in ["/", column("zxdt").url, article.url]:
        html = client.get(url).content.decode()
        for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert not ref.startswith(("http:", "https:", "//")), ref


def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no-such-column/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_layout_stylesheet_is_current():
    """portal/static/portal/layout.css is what ggzy.portal.layout_css generates."""
    from pathlib import Path

    from ggzy.portal.layout_css import layout_css

    static = Path(__file__).resolve().parents[1] / "static" / "portal" / "layout.css"
    assert static.read_text(encoding="utf-8") == layout_css()
