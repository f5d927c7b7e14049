"""Full-text matching of search entries, one function per backend; each takes
a queryset of entries (already filtered by column, kind and date) and the
parsed query, and returns the matching queryset in the requested order.

- SQLite: FTS5 external-content table, ranked by bm25 (title weighted 4:1).
- PostgreSQL: tokens as a tsvector (GIN expression index), ranked by ts_rank.
- A search server (SEARCH_BACKEND=elasticsearch8, opensearch2, …): Wagtail's
  search backend over the same entries and tokens.
"""

from django.conf import settings
from django.db import connections, router
from wagtail.search.query import And, Or, PlainText

from .choices import Order
from .models import FTS_TABLE, SearchEntry
from .segmentation import Term

TABLE = SearchEntry._meta.db_table
# Must stay identical to the index expression of migration 0002 (columns unqualified there).
PG_VECTOR = (
    "(setweight(array_to_tsvector(string_to_array(title_tokens, ' ')), 'A') || "
    "array_to_tsvector(string_to_array(body_tokens, ' ')))"
)


def _quoted(tokens, quote: str) -> list[str]:
    return [f"{quote}{t}{quote}" for t in tokens]  # tokens are letters and digits only


def fts5_query(terms: list[Term]) -> str:
    """ "a" AND ("b" OR ("c" AND "d")) AND ("jz2026"* OR ("jz" AND "2026"))."""
    parts = []
    for term in terms:
        alternatives = []
        for i, alternative in enumerate(term.alternatives):
            tokens = _quoted(alternative, '"')
            if term.prefix and i == 0:
                tokens = [t + "*" for t in tokens]
            alternatives.append(tokens[0] if len(tokens) == 1 else "(" + " AND ".join(tokens) + ")")
        parts.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


def tsquery(terms: list[Term]) -> str:
    """'a' & ('b' | ('c' & 'd')) & ('jz2026':* | ('jz' & '2026'))."""
    parts = []
    for term in terms:
        alternatives = []
        for i, alternative in enumerate(term.alternatives):
            tokens = _quoted(alternative, "'")
            if term.prefix and i == 0:
                tokens = [t + ":*" for t in tokens]
            alternatives.append(tokens[0] if len(tokens) == 1 else "(" + " & ".join(tokens) + ")")
        parts.append(alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")")
    return " & ".join(parts)


def _newest(queryset):
    return queryset.order_by("-published_at", "-page_id")


# QuerySet.extra: the SQL is constant; the match expression is always a bound parameter.


def match_sqlite(queryset, terms: list[Term], order: str):
    qs = queryset.extra(  # noqa: S610
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = {TABLE}.page_id", f"{FTS_TABLE} MATCH %s"],
        params=[fts5_query(terms)],
    )
    if order == Order.RELEVANCE:
        # bm25: lower is better
        rank = {"rank": f"bm25({FTS_TABLE}, 4.0, 1.0)"}
        return qs.extra(select=rank).order_by("rank", "-published_at")  # noqa: S610
    return _newest(qs)


def match_postgresql(queryset, terms: list[Term], order: str):
    vector = PG_VECTOR.replace("title_tokens", f"{TABLE}.title_tokens").replace(
        "body_tokens", f"{TABLE}.body_tokens"
    )
    query = tsquery(terms)
    qs = queryset.extra(where=[f"{vector} @@ %s::tsquery"], params=[query])  # noqa: S610
    if order == Order.RELEVANCE:
        rank = {"rank": f"ts_rank({vector}, %s::tsquery)"}
        qs = qs.extra(select=rank, select_params=[query])  # noqa: S610
        return qs.order_by("-rank", "-published_at")
    return _newest(qs)


def wagtail_query(terms: list[Term]):
    """The same query for Wagtail's search backends (whitespace-analysed tokens)."""
    parts = []
    for term in terms:
        alternatives = [PlainText(" ".join(a), operator="and") for a in term.alternatives]
        parts.append(alternatives[0] if len(alternatives) == 1 else Or(alternatives))
    return parts[0] if len(parts) == 1 else And(parts)


def match_wagtail(queryset, terms: list[Term], order: str):
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    relevance = order == Order.RELEVANCE
    if not relevance:
        queryset = _newest(queryset)
    return backend.search(wagtail_query(terms), queryset, order_by_relevance=relevance)


def match(queryset, terms: list[Term], order: str):
    if settings.SEARCH_BACKEND != "database":
        return match_wagtail(queryset, terms, order)
    vendor = connections[router.db_for_read(SearchEntry)].vendor
    if vendor == "sqlite":
        return match_sqlite(queryset, terms, order)
    if vendor == "postgresql":
        return match_postgresql(queryset, terms, order)
    raise NotImplementedError(f"ggzy search has no full-text index for {vendor}; set SEARCH_BACKEND")
