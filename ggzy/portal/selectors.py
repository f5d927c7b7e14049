"""Reads for the public portal. Each list is a bounded number of queries,
whatever the number of columns or articles."""

from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import RowNumber, Substr
from wagtail.models import Page

from .models import ArticlePage, ColumnPage, ColumnPolicy, HomePage

HOME_ITEMS_PER_COLUMN = 6


@dataclass(frozen=True)
class HomeSection:
    column: ColumnPage
    articles: list[Page]  # articles and structured notices alike


def published_articles():
    return (
        ArticlePage.objects.live()
        .public()
        .select_related("source_department")
        .order_by("-first_published_at", "-pk")
    )


def published_items():
    """Every live, public item of a column (articles, notices, …), as base pages:
    the home page needs only title, URL and publish time."""
    return (
        Page.objects.live()
        .public()
        .not_type(ColumnPage, HomePage)
        .filter(depth__gte=3)
        .order_by("-first_published_at", "-pk")
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


def column_articles(*, column: Page):
    """Articles anywhere below the column, newest first."""
    return published_articles().descendant_of(column)


def column_children(*, column: Page):
    return ColumnPage.objects.child_of(column).live().public().order_by("path")


def policy_for_page(page: Page) -> ColumnPolicy:
    """The policy of the nearest column at or above the page; the regulation's
    default layout (宋体 4号 黑色 22磅) where no column carries one."""
    policy = (
        ColumnPolicy.objects.filter(column__in=page.get_ancestors(inclusive=True))
        .select_related("column")
        .order_by("-column__depth")
        .first()
    )
    return policy or ColumnPolicy()
