"""The fast bulk path makes the same pages as add_child + publish."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.models import Page

from ggzy.notices.bulk import BulkItem, bulk_add_live
from ggzy.notices.choices import KIND_COLUMNS, NoticeKind
from ggzy.notices.models import Candidate, CandidatesNotice, ConstructionTenderNotice
from ggzy.notices.tests.factories import build_notice, publish_notice
from ggzy.portal.models import ArticlePage
from ggzy.portal.selectors import column_items
from ggzy.portal.tests.factories import column, publish_article

pytestmark = pytest.mark.django_db

# What a live page must have right, whichever way it was made.
PAGE_FIELDS = [
    "depth",
    "numchild",
    "live",
    "has_unpublished_changes",
    "content_type_id",
    "locale_id",
    "expired",
    "locked",
    "show_in_menus",
    "alias_of_id",
]


def test_bulk_notices_equal_add_child_ones_in_the_fields_that_matter(client):
    tender_column = column(KIND_COLUMNS[NoticeKind.CONSTRUCTION_TENDER])
    real = publish_notice(NoticeKind.CONSTRUCTION_TENDER, title="真实发布的招标公告", slug="real")
    published = timezone.make_aware(dt.datetime(2021, 3, 4, 9, 30))
    template = build_notice(NoticeKind.CONSTRUCTION_TENDER, title="批量导入的招标公告", slug="bulk-1")
    template.first_published_at = published
    numchild = Page.objects.get(pk=tender_column.pk).numchild

    result = bulk_add_live(tender_column, [template])

    assert result.pages == 1
    bulk = ConstructionTenderNotice.objects.get(pk=result.page_ids[0])
    real = ConstructionTenderNotice.objects.get(pk=real.pk)
    for name in PAGE_FIELDS:
        assert getattr(bulk, name) == getattr(real, name), name
    assert bulk.path[: -Page.steplen] == real.path[: -Page.steplen] == tender_column.path
    assert bulk.path > real.path  # after the existing children
    assert bulk.url_path == f"{tender_column.url_path}bulk-1/"
    assert bulk.draft_title == bulk.title == "批量导入的招标公告"
    assert bulk.first_published_at == bulk.last_published_at == published
    assert bulk.translation_key and bulk.translation_key != real.translation_key
    assert Page.objects.get(pk=tender_column.pk).numchild == numchild + 1
    # Its own fields are stored as given.
    for name in ["project_code", "project_name", "owner_credit_code", "budget", "bid_deadline", "body"]:
        assert getattr(bulk, name) == getattr(template, name), name
    # It validates like a real one and treebeard finds nothing wrong with the tree.
    bulk.full_clean()
    assert all(not problems for problems in Page.find_problems())
    # It renders and is listed like a real one.
    response = client.get(bulk.url)
    assert response.status_code == 200 and "批量导入的招标公告" in response.content.decode()
    listing = client.get(tender_column.url).content.decode()
    assert "批量导入的招标公告" in listing and "真实发布的招标公告" in listing
    # A page added the normal way afterwards lands after the bulk ones.
    later = publish_notice(NoticeKind.CONSTRUCTION_TENDER, title="之后发布的公告")
    assert later.path > bulk.path


def test_bulk_candidates_and_articles_in_batches(client):
    candidates_column = column(KIND_COLUMNS[NoticeKind.CONSTRUCTION_CANDIDATES])
    items = []
    for i in range(5):
        notice = build_notice(NoticeKind.CONSTRUCTION_CANDIDATES, title=f"中标候选人公示{i}", slug=f"gs-{i}")
        rows = [
            Candidate(rank=1, name=f"甲建设有限公司{i}", price=Decimal("1000000"), sort_order=0),
            Candidate(rank=2, name=f"乙建设有限公司{i}", price=Decimal("1100000"), sort_order=1),
        ]
        items.append(BulkItem(page=notice, inline=rows))

    result = bulk_add_live(candidates_column, items, batch_size=2)

    assert result.pages == 5 and result.inline_rows == 10
    notices = list(CandidatesNotice.objects.filter(pk__in=result.page_ids).order_by("path"))
    assert [n.title for n in notices] == [f"中标候选人公示{i}" for i in range(5)]
    assert [c.name for c in notices[3].candidates.order_by("sort_order")] == [
        "甲建设有限公司3",
        "乙建设有限公司3",
    ]
    assert "甲建设有限公司3" in client.get(notices[3].url).content.decode()

    news = column("zwgk")
    before = publish_article(news, "正常发布的文章")
    articles = [
        ArticlePage(title=f"导入文章{i}", slug=f"wz-{i}", body="<p>正文内容</p>", first_published_at=None)
        for i in range(3)
    ]
    bulk_add_live(news, articles)
    titles = set(column_items(column=news).values_list("title", flat=True))
    assert {"导入文章0", "导入文章1", "导入文章2", before.title} <= titles
    for article in ArticlePage.objects.filter(title__startswith="导入文章"):
        article.full_clean()
        assert client.get(article.url).status_code == 200
    assert all(not problems for problems in Page.find_problems())
