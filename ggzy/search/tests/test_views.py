import pytest

from ggzy.notices.choices import NoticeKind
from ggzy.portal.tests.factories import column

from .factories import indexed_article, indexed_notice

pytestmark = pytest.mark.django_db


def test_anonymous_search_page_lists_highlighted_results(client):
    indexed_notice(
        NoticeKind.CONSTRUCTION_TENDER, title="焦作市道路改造工程招标公告", project_code="JZ2026-GC-7"
    )
    indexed_article("zxdt/hyxx", "<b>招标公告</b>发布说明")
    response = client.get("/search/", {"q": "招标公告"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="status"' in html and "共找到 <strong>2</strong> 条结果" in html
    assert "焦作市道路改造工程<mark>招标公告</mark>" in html
    assert "&lt;b&gt;<mark>招标公告</mark>&lt;/b&gt;发布说明" in html
    assert '<label for="search-q">关键词</label>' in html
    assert '<label for="search-column">栏目</label>' in html


def test_column_options_are_the_column_tree(client):
    html = client.get("/search/").content.decode()
    assert f'<option value="{column("jyxx").pk}">交易信息</option>' in html
    assert f'<option value="{column("jyxx/jsgc").pk}">\u3000建设工程</option>' in html
    assert "请输入关键词" in html


def test_filters_and_pagination_links_keep_the_query(client, settings):
    settings.GGZY_PAGE_SIZE = 2
    for i in range(3):
        indexed_article("zxdt/hyxx", f"道路简报{i}")
    indexed_article("bszn/fwzn", "道路办事指南")
    html = client.get(
        "/search/", {"q": "道路", "column": column("zxdt").pk, "order": "newest"}
    ).content.decode()
    assert "共找到 <strong>3</strong> 条结果" in html and "道路办事指南" not in html
    assert f"q=%E9%81%93%E8%B7%AF&amp;column={column('zxdt').pk}&amp;order=newest&amp;page=2" in html
    html = client.get("/search/", {"q": "道路", "column": column("zxdt").pk, "page": 2}).content.decode()
    assert "第 2 / 2 页" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "长" * 101}, "搜索关键词不能超过100个字"),
        ({"q": "招标", "page": "abc"}, "页码必须是数字"),
        ({"q": "招标", "page": "0"}, "页码应在1到1000之间"),
        ({"q": "招标", "column": "abc"}, "所选栏目不存在"),
        ({"q": "招标", "column": "999999"}, "所选栏目不存在"),
        ({"q": "招标", "kind": "x"}, "信息类型无效"),
        ({"q": "招标", "date_from": "2026-13-01"}, "开始日期格式应为YYYY-MM-DD"),
        ({"q": "招标", "date_from": "2026-02-01", "date_to": "2026-01-01"}, "开始日期不能晚于结束日期"),
        ({"q": "招标", "order": "x"}, "排序方式无效"),
        ({"q": "？！"}, "没有可搜索的字词"),
    ],
)
def test_bad_input_gets_a_chinese_message_not_a_500(client, params, message):
    response = client.get("/search/", params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_only_get(client):
    assert client.post("/search/", {"q": "招标"}).status_code == 405


def test_header_search_box_on_every_portal_page(client):
    html = client.get("/").content.decode()
    assert '<form class="site-search" method="get" action="/search/" role="search">' in html
    assert '<label for="site-search-q" class="visually-hidden">站内搜索</label>' in html
