"""The public search index: one row per live, public column item (article or
trading announcement), with its text segmented by jieba.

SQLite: an FTS5 external-content table over the token columns, kept in step by
triggers; PostgreSQL: a GIN index over the tokens as a tsvector (migration 0002).
With SEARCH_BACKEND set to Elasticsearch/OpenSearch, Wagtail's backend indexes
these rows instead (same tokens, whitespace analyzer).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

__all__ = ["SearchEntry"]

FTS_TABLE = "search_searchentry_fts"

# Tokens are already segmented: the engine must only split on spaces.
_WHITESPACE = {"analyzer": "whitespace", "search_analyzer": "whitespace"}


def _wagtail_search_fields() -> list:
    """Only a search server indexes entries through Wagtail; with the database
    backend the entries carry their own full-text index (no second copy)."""
    if settings.SEARCH_BACKEND == "database":
        return []
    return [
        index.SearchField("title_tokens", boost=4, es_extra=_WHITESPACE),
        index.SearchField("body_tokens", es_extra=_WHITESPACE),
        index.FilterField("kind"),
        index.FilterField("path"),
        index.FilterField("published_at"),
        index.FilterField("seq"),
    ]


class SearchEntry(index.Indexed, models.Model):
    """What the public search knows about one published page (searchable text,
    filters, and the plain text that excerpts are cut from)."""

    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_entry",
        verbose_name=_("页面"),
    )
    kind = models.CharField(_("类型"), max_length=40, db_index=True)
    # Tree path of the page: a column filter is a prefix match on it.
    path = models.CharField(_("路径"), max_length=255, db_index=True)
    published_at = models.DateTimeField(_("发布时间"), db_index=True)
    # Publication order as one integer (the full-text table's rowid): the newest
    # matches are read straight off the index, and a date range is a rowid range.
    seq = models.BigIntegerField(_("发布顺序"), unique=True)
    title = models.CharField(_("标题"), max_length=255)
    text = models.TextField(_("正文摘录"), blank=True)
    title_tokens = models.TextField(_("标题分词"), blank=True)
    body_tokens = models.TextField(_("正文分词"), blank=True)

    search_fields = _wagtail_search_fields()
    search_auto_update = False  # ggzy.search.services keeps entries and backends in step

    class Meta:
        verbose_name = _("搜索索引条目")
        verbose_name_plural = _("搜索索引条目")

    def __str__(self) -> str:
        return self.title


SEQ_SPAN = 10**7  # page ids below ten million keep seq unique within a second


def seq_at(moment) -> int:
    """The smallest seq of anything published at or after ``moment``."""
    return int(moment.timestamp()) * SEQ_SPAN


def seq_for(published_at, page_id: int) -> int:
    return seq_at(published_at) + page_id % SEQ_SPAN
