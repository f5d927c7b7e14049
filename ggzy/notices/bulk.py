"""Fast bulk path: many live column items (notices, articles) under one column.

For importing history (and the site bench): ``add_child`` + ``publish`` costs
dozens of queries per page; this writes the rows directly, a batch at a time,
in a few statements per batch:

- treebeard materialised paths computed here (the parent's next free steps),
  depth, ``numchild`` of the parent updated once at the end;
- the ``wagtailcore_page`` rows with ``bulk_create`` (primary keys returned by
  PostgreSQL and SQLite ≥ 3.35), then the specific table's rows (multi-table
  inheritance: Django's bulk_create refuses the child model) with the fields'
  own ``get_db_prep_save``, then inline children (中标候选人);
- live, first/last published time, url_path, draft_title, content type,
  locale and translation key as Wagtail's publish sets them.

What it does not do, by design: no revisions, no log entries, no
PublicationRecord (an import is not a publication through the chain;
网站管理制度 第十一条 governs new items), no search index entries (rebuild the
index after an import) and no static files (run ``build_site`` after).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import F
from wagtail.models import Page

from ggzy.core.iterables import batched

BATCH_SIZE = 2000


@dataclass
class BulkItem:
    """An unsaved specific page (title, slug, first_published_at and its own
    fields set) and the inline rows that belong to it (e.g. Candidate objects)."""

    page: Page
    inline: list[models.Model] = field(default_factory=list)


@dataclass
class BulkResult:
    pages: int = 0
    inline_rows: int = 0
    page_ids: list[int] = field(default_factory=list)


def _next_step(parent: Page) -> int:
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
    return Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1


def _specific_rows(model: type[Page], pages: list[Page]) -> None:
    """INSERT the child-table rows of ``pages`` (all of ``model``)."""
    fields = list(model._meta.local_concrete_fields)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    rows = [[f.get_db_prep_save(f.pre_save(page, add=True), connection) for f in fields] for page in pages]
    with connection.cursor() as cursor:
        # Table and column names come from the model, quoted; values are parameters.
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608


def bulk_add_live(
    parent: Page, items: Iterable[BulkItem | Page], *, batch_size: int = BATCH_SIZE
) -> BulkResult:
    """Add live pages below ``parent`` in order (the last one gets the last path),
    streaming ``items`` one batch per transaction. Every page's ``slug`` must be
    unique among its siblings; ``first_published_at`` defaults to now."""
    from django.utils import timezone

    parent = Page.objects.get(pk=parent.pk)  # fresh path, url_path and numchild
    step = _next_step(parent)
    depth = parent.depth + 1
    content_types: dict[type, ContentType] = {}
    base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    result = BulkResult()
    now = timezone.now()
    for batch in batched(items, batch_size):
        batch = [item if isinstance(item, BulkItem) else BulkItem(page=item) for item in batch]
        bases = []
        for item in batch:
            page = item.page
            model = type(page)
            if model not in content_types:
                content_types[model] = ContentType.objects.get_for_model(model)
            page.path = Page._get_path(parent.path, depth, step)
            step += 1
            page.depth = depth
            page.numchild = 0
            page.url_path = f"{parent.url_path}{page.slug}/"
            page.live = True
            page.has_unpublished_changes = False
            page.first_published_at = page.first_published_at or now
            page.last_published_at = page.last_published_at or page.first_published_at
            page.latest_revision_created_at = page.last_published_at
            page.draft_title = page.title
            page.content_type = content_types[model]
            page.locale_id = parent.locale_id
            page.translation_key = uuid.uuid4()
            bases.append(Page(**{f.attname: getattr(page, f.attname) for f in base_fields}))
        with transaction.atomic():
            Page.objects.bulk_create(bases)
            by_model: dict[type, list[Page]] = {}
            inline = []
            for item, base in zip(batch, bases, strict=True):
                item.page.pk = item.page.page_ptr_id = base.pk
                by_model.setdefault(type(item.page), []).append(item.page)
                for row in item.inline:
                    setattr(row, _parental_attname(row, item.page), base.pk)
                    inline.append(row)
            for model, pages in by_model.items():
                _specific_rows(model, pages)
            for model, rows in _group(inline).items():
                model.objects.bulk_create(rows)
            Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(bases))
        result.pages += len(bases)
        result.inline_rows += len(inline)
        result.page_ids.extend(b.pk for b in bases)
    return result


def _parental_attname(row: models.Model, page: Page) -> str:
    for f in row._meta.concrete_fields:
        if f.is_relation and f.related_model is not None and isinstance(page, f.related_model):
            return f.attname
    raise ValueError(f"{type(row).__name__} has no key to {type(page).__name__}")


def _group(rows: list[models.Model]) -> dict[type, list[models.Model]]:
    grouped: dict[type, list[models.Model]] = {}
    for row in rows:
        grouped.setdefault(type(row), []).append(row)
    return grouped
