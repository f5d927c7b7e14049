"""Many live articles fast, for build tests and profiling: pages are inserted
through ggzy.notices.bulk (computed tree paths, bulk inserts), not through
add_child and a revision each (≈10 ms a page)."""

import datetime as dt

from django.utils import timezone
from wagtail.models import Page

from ggzy.notices.bulk import bulk_add_live
from ggzy.portal.models import ArticlePage, ColumnPage


def bulk_articles(
    column: ColumnPage, count: int, *, start: dt.datetime | None = None, body: str = ""
) -> list[int]:
    """``count`` live articles under ``column``, one minute apart (oldest first); their ids."""
    column.refresh_from_db()
    start = start or timezone.now() - dt.timedelta(minutes=count + 1)
    body = body or "<p>" + "焦作市公共资源交易中心发布的信息正文。" * 40 + "</p>"
    last = column.get_last_child()
    first_position = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
    articles = (
        ArticlePage(
            title=f"批量信息{first_position + i}",
            slug=f"bulk-{column.pk}-{first_position + i}",
            body=body,
            first_published_at=start + dt.timedelta(minutes=i),
        )
        for i in range(count)
    )
    return bulk_add_live(column, articles, batch_size=500).page_ids
