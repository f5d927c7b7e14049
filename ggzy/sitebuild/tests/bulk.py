"""Many live articles fast, for build tests and profiling: pages are inserted
with computed tree paths (treebeard's materialised path) in bulk, not through
add_child and a revision each (≈10 ms a page)."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from ggzy.portal.models import ArticlePage, ColumnPage

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(number: int) -> str:
    digits = ""
    for _ in range(Page.steplen):
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits


def bulk_articles(
    column: ColumnPage, count: int, *, start: dt.datetime | None = None, body: str = ""
) -> list[int]:
    """``count`` live articles under ``column``, one minute apart (oldest first); their ids."""
    column.refresh_from_db()
    start = start or timezone.now() - dt.timedelta(minutes=count + 1)
    body = body or "<p>" + "焦作市公共资源交易中心发布的信息正文。" * 40 + "</p>"
    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    last = column.get_last_child()
    first_position = int(last.path[-Page.steplen :], 36) + 1 if last else 1
    pages = []
    for i in range(count):
        slug = f"bulk-{column.pk}-{first_position + i}"
        when = start + dt.timedelta(minutes=i)
        pages.append(
            Page(
                title=f"批量信息{first_position + i}",
                draft_title=f"批量信息{first_position + i}",
                slug=slug,
                content_type=content_type,
                path=column.path + _step(first_position + i),
                depth=column.depth + 1,
                numchild=0,
                url_path=f"{column.url_path}{slug}/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=when,
                last_published_at=when,
                locale=locale,
            )
        )
    with transaction.atomic():
        created = Page.objects.bulk_create(pages, batch_size=500)
        ids = [page.pk for page in created]
        table = ArticlePage._meta.db_table
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (page_ptr_id, source_name, keywords, body) VALUES (%s, '', '', %s)",  # noqa: S608 (our own table name)
                [(pk, body) for pk in ids],
            )
        Page.objects.filter(pk=column.pk).update(numchild=column.numchild + count)
    return ids
