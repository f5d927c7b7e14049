# ruff: noqa: S608 -- the SQL below is built from constants; every value is a bound parameter.
"""Full-text matching of search entries, one function per backend; each takes
a queryset of entries (already filtered by column, kind and date) and the
parsed query, and returns the matching queryset in the requested order.

- SQLite: FTS5 external-content table, ranked by bm25 (title weighted 4:1).
- PostgreSQL: tokens as a tsvector (GIN expression index), ranked by ts_rank.
- A search server (SEARCH_BACKEND=elasticsearch8, opensearch2, …): Wagtail's
  search backend over the same entries and tokens.
"""

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Quoting:
    """How one query language writes a token, a prefix and the two operators."""

    quote: str
    prefix: str
    conj: str
    disj: str


FTS5 = Quoting(quote='"', prefix="*", conj=" AND ", disj=" OR ")
TSQUERY = Quoting(quote="'", prefix=":*", conj=" & ", disj=" | ")


def boolean_query(terms: list[Term], quoting: Quoting) -> str:
    """Every term must match, through any of its alternatives; the first
    alternative of a prefix term matches as a prefix. Tokens are letters and
    digits only, so quoting them needs no escaping."""

    def group(items: list[str], op: str) -> str:
        return items[0] if len(items) == 1 else "(" + op.join(items) + ")"

    parts = []
    for term in terms:
        alternatives = []
        for i, alternative in enumerate(term.alternatives):
            suffix = quoting.prefix if term.prefix and i == 0 else ""
            tokens = [f"{quoting.quote}{t}{quoting.quote}{suffix}" for t in alternative]
            alternatives.append(group(tokens, quoting.conj))
        parts.append(group(alternatives, quoting.disj))
    return quoting.conj.join(parts)


def fts5_query(terms: list[Term]) -> str:
    """ "a" AND ("b" OR ("c" AND "d")) AND ("jz2026"* OR ("jz" AND "2026"))."""
    return boolean_query(terms, FTS5)


def tsquery(terms: list[Term]) -> str:
    """'a' & ('b' | ('c' & 'd')) & ('jz2026':* | ('jz' & '2026'))."""
    return boolean_query(terms, TSQUERY)


@dataclass(frozen=True)
class Filters:
    """Column (tree path prefix), kind and publication range (as seq bounds)."""

    path_prefix: str = ""
    kind: str = ""
    seq_from: int | None = None
    seq_to: int | None = None

    def sql(self, table: str, seq_column: str) -> tuple[list[str], list]:
        where, params = [], []
        if self.seq_from is not None:
            where.append(f"{seq_column} >= %s")
            params.append(self.seq_from)
        if self.seq_to is not None:
            where.append(f"{seq_column} <= %s")
            params.append(self.seq_to)
        if self.kind:
            where.append(f"{table}.kind = %s")
            params.append(self.kind)
        if self.path_prefix:
            where.append(f"substr({table}.path, 1, %s) = %s")
            params += [len(self.path_prefix), self.path_prefix]
        return where, params

    def apply(self, entries):
        """The same filters on a queryset of entries."""
        if self.kind:
            entries = entries.filter(kind=self.kind)
        if self.path_prefix:
            entries = entries.filter(path__startswith=self.path_prefix)
        if self.seq_from is not None:
            entries = entries.filter(seq__gte=self.seq_from)
        if self.seq_to is not None:
            entries = entries.filter(seq__lte=self.seq_to)
        return entries


def _fetch_ids(sql: str, params: list) -> list[int]:
    with connections[router.db_for_read(SearchEntry)].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def match_sqlite(terms: list[Term], filters: Filters, order: str, cap: int) -> list[int]:
    """The newest ``cap`` matches straight off the FTS5 index (rowid = seq, read
    backwards), ranked by bm25 when asked (title weighted 4:1)."""
    where, params = filters.sql("e", f"{FTS_TABLE}.rowid")
    conditions = " AND ".join([f"{FTS_TABLE} MATCH %s", *where])
    inner = (
        f"SELECT e.page_id, {FTS_TABLE}.rowid AS seq, bm25({FTS_TABLE}, 4.0, 1.0) AS score "
        f"FROM {FTS_TABLE} CROSS JOIN {TABLE} e ON e.seq = {FTS_TABLE}.rowid "
        f"WHERE {conditions} ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s"
    )
    ranking = "score, seq DESC" if order == Order.RELEVANCE else "seq DESC"
    return _fetch_ids(f"SELECT page_id FROM ({inner}) ORDER BY {ranking}", [fts5_query(terms), *params, cap])


def match_postgresql(terms: list[Term], filters: Filters, order: str, cap: int) -> list[int]:
    """The newest ``cap`` matches (GIN index), ranked by ts_rank when asked."""
    where, params = filters.sql(TABLE, f"{TABLE}.seq")
    query = tsquery(terms)
    conditions = " AND ".join([f"{PG_VECTOR} @@ %s::tsquery", *where])
    inner = (
        f"SELECT page_id, seq, title_tokens, body_tokens FROM {TABLE} "
        f"WHERE {conditions} ORDER BY seq DESC LIMIT %s"
    )
    if order == Order.RELEVANCE:
        sql = f"SELECT page_id FROM ({inner}) AS m ORDER BY ts_rank({PG_VECTOR}, %s::tsquery) DESC, seq DESC"
        return _fetch_ids(sql, [query, *params, cap, query])
    return _fetch_ids(f"SELECT page_id FROM ({inner}) AS m ORDER BY seq DESC", [query, *params, cap])


def wagtail_query(terms: list[Term]):
    """The same query for Wagtail's search backends (whitespace-analysed tokens)."""
    parts = []
    for term in terms:
        alternatives = [PlainText(" ".join(a), operator="and") for a in term.alternatives]
        parts.append(alternatives[0] if len(alternatives) == 1 else Or(alternatives))
    return parts[0] if len(parts) == 1 else And(parts)


def match_wagtail(terms: list[Term], filters: Filters, order: str, cap: int) -> list[int]:
    """Through Wagtail's backend (a search server holds the same tokens)."""
    from wagtail.search.backends import get_search_backend

    entries = filters.apply(SearchEntry.objects.only("page_id", "seq"))
    relevance = order == Order.RELEVANCE
    if not relevance:
        entries = entries.order_by("-seq")
    results = get_search_backend().search(wagtail_query(terms), entries, order_by_relevance=relevance)
    return [entry.pk for entry in results[:cap]]


def match(terms: list[Term], filters: Filters, order: str, cap: int) -> list[int]:
    """Page ids of the matching entries, best first, at most ``cap`` (the newest
    ``cap`` matches, so that a word found in most pages costs no more than a rare one)."""
    if settings.SEARCH_BACKEND != "database":
        return match_wagtail(terms, filters, order, cap)
    vendor = connections[router.db_for_read(SearchEntry)].vendor
    if vendor == "sqlite":
        return match_sqlite(terms, filters, order, cap)
    if vendor == "postgresql":
        return match_postgresql(terms, filters, order, cap)
    raise NotImplementedError(f"ggzy search has no full-text index for {vendor}; set SEARCH_BACKEND")
