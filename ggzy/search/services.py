"""Writes of the search index: one page at a time on publish/unpublish/move,
and the full rebuild (chunked, bulk, segmentation on every core)."""

import multiprocessing
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import router, transaction
from django.db.models import Prefetch
from wagtail.models import Page

from ggzy.notices.models import Candidate, CandidatesNotice

from . import segmentation
from .documents import INDEXED_MODELS, Document, document_for
from .models import SearchEntry, seq_for

CHUNK_SIZE = 500
_ENTRY_FIELDS = ["kind", "path", "published_at", "seq", "title", "text", "title_tokens", "body_tokens"]


def _segment(doc: Document) -> tuple[str, str]:
    title_tokens = segmentation.index_text(doc.title, codes=doc.codes)
    body_tokens = segmentation.index_text(doc.text, codes=doc.codes)
    return title_tokens, body_tokens


def _entries(docs: list[Document], segmented: Iterable[tuple[str, str]]) -> list[SearchEntry]:
    return [
        SearchEntry(
            page_id=doc.page_id,
            kind=doc.kind,
            path=doc.path,
            published_at=doc.published_at,
            seq=seq_for(doc.published_at, doc.page_id),
            title=doc.title[:255],
            text=doc.text,
            title_tokens=title_tokens,
            body_tokens=body_tokens,
        )
        for doc, (title_tokens, body_tokens) in zip(docs, segmented, strict=True)
    ]


def _search_server_backends() -> list:
    """Wagtail's backends that hold entries: only when a search server is configured."""
    if settings.SEARCH_BACKEND == "database":
        return []
    from wagtail.search.backends import get_search_backends

    return list(get_search_backends())


def _all_items_in_chunks() -> Iterator[list]:
    """Every live, public column item, specific, in chunks by primary key (memory
    stays flat), candidates prefetched."""
    for model in INDEXED_MODELS:
        items = model.objects.live().public()
        if model is CandidatesNotice:
            items = items.prefetch_related(
                Prefetch("candidates", queryset=Candidate.objects.order_by("rank"))
            )
        last_pk = 0
        while True:
            chunk = list(items.filter(pk__gt=last_pk).order_by("pk")[:CHUNK_SIZE])
            if not chunk:
                break
            last_pk = chunk[-1].pk
            yield chunk


def index_pages(*, page_ids: list[int]) -> int:
    """Bring the entries of these pages up to date: live, public column items are
    (re)indexed, anything else is removed. Returns the number indexed."""
    indexed = 0
    for start in range(0, len(page_ids), CHUNK_SIZE):
        ids = page_ids[start : start + CHUNK_SIZE]
        with transaction.atomic(using=router.db_for_write(SearchEntry)):
            pages = Page.objects.filter(pk__in=ids).live().public().specific()
            docs = [document_for(page) for page in pages if isinstance(page, INDEXED_MODELS)]
            entries = _entries(docs, map(_segment, docs))
            keep = {e.page_id for e in entries}
            stale = list(SearchEntry.objects.filter(page_id__in=ids).exclude(page_id__in=keep))
            SearchEntry.objects.filter(pk__in=[e.pk for e in stale]).delete()
            SearchEntry.objects.bulk_create(
                entries, update_conflicts=True, unique_fields=["page"], update_fields=_ENTRY_FIELDS
            )
            for backend in _search_server_backends():
                if entries:
                    backend.add_bulk(SearchEntry, entries)
                for entry in stale:
                    backend.delete(entry)
        indexed += len(entries)
    return indexed


@dataclass
class RebuildResult:
    entries: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.entries / self.seconds if self.seconds else 0.0


def _workers(requested: int | None) -> int:
    if requested is not None:
        return max(1, requested)
    return max(1, settings.SEARCH_INDEX_WORKERS or os.cpu_count() or 1)


def rebuild_search_index(*, stdout=None, workers: int | None = None) -> RebuildResult:
    """Rebuild the whole index from the database, in one transaction (searches see
    the old index until it commits). Pages are read in chunks of CHUNK_SIZE and
    segmented by ``workers`` processes (default: one per core)."""
    out = stdout or sys.stdout
    started = time.monotonic()
    segmentation.tokenizer()  # loaded once, before forking: the workers share it
    workers = _workers(workers)
    pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else None
    count = 0
    try:
        with transaction.atomic(using=router.db_for_write(SearchEntry)):
            SearchEntry.objects.all()._raw_delete(using=router.db_for_write(SearchEntry))
            for backend in _search_server_backends():
                backend.get_index_for_model(SearchEntry).reset()
            for chunk in _all_items_in_chunks():
                docs = [document_for(page) for page in chunk]
                segmented = pool.map(_segment, docs, chunksize=50) if pool else map(_segment, docs)
                entries = _entries(docs, segmented)
                SearchEntry.objects.bulk_create(entries)
                for backend in _search_server_backends():
                    backend.add_bulk(SearchEntry, entries)
                count += len(entries)
                if count % (CHUNK_SIZE * 20) < len(entries):
                    out.write(f"  {count} pages indexed ({time.monotonic() - started:.1f} s)\n")
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    result = RebuildResult(entries=count, seconds=time.monotonic() - started)
    out.write(
        f"Search index rebuilt: {result.entries} pages in {result.seconds:.1f} s "
        f"({result.per_second:.0f}/s)\n"
    )
    return result
