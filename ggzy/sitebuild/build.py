"""The full build (build_site), parallel over processes.

The parent plans small units of work (a chunk of item pages, a span of a
column's list pages, a sitemap chunk), forks ``workers`` processes that each
render the units they are given into the publish root and send back only the
manifest entries and the asset URLs they saw; the parent copies the assets,
removes stray files and writes the signed manifest. No HTML is held beyond the
page being rendered, so memory stays flat as the site grows.

Forked workers open their own database connections (the parent closes its
connections before forking). Inside a database transaction (tests, a task run
by the immediate backend) a worker would not see uncommitted rows, so the build
then runs in this process.
"""

import multiprocessing
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.db.models import prefetch_related_objects
from wagtail.models import Page, Site

from ggzy.core.iterables import batched
from ggzy.notices.selectors import project_codes, projects_notices
from ggzy.portal.models import ArticlePage, ColumnPage, HomePage
from ggzy.portal.selectors import OLDEST_FIRST, ListPage, archive_count, column_items, render_cache
from ggzy.portal.sitemaps import sitemap_chunk_count

from .files import remove_file, walk_files
from .manifest import NewManifest
from .rendering import SPECIAL_FILES, default_site, page_url
from .writer import Writer

ITEMS_PER_UNIT = 200  # item pages per unit of work
ARCHIVES_PER_UNIT = 50  # archive list pages per unit of work


@dataclass(frozen=True)
class Unit:
    kind: str  # "pages" | "column" | "sitemap" | "projects" | "special"
    ids: tuple[int, ...] = ()  # pages: their ids
    codes: tuple[str, ...] = ()  # projects: project codes
    column_id: int = 0
    first: int = 0  # column: list pages first..last (0 = front page + feed); sitemap: file number
    last: int = 0
    total: int = 0  # column: items listed


@dataclass
class BuildResult:
    root: Path
    manifest: Path
    pages: int = 0
    html_files: int = 0
    assets: int = 0
    removed: int = 0
    workers: int = 1
    seconds: float = 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def plan(site: Site) -> Iterator[Unit]:
    """Every unit of work of a full build (streamed: ids in chunks)."""
    home = site.root_page
    yield Unit("pages", ids=(home.pk,))
    per_page = settings.GGZY_PAGE_SIZE
    for column in ColumnPage.objects.live().public().descendant_of(home).order_by("path"):
        total = column_items(column=column).count()
        archives = archive_count(total, per_page)
        yield Unit("column", column_id=column.pk, first=0, last=min(archives, ARCHIVES_PER_UNIT), total=total)
        for first in range(ARCHIVES_PER_UNIT + 1, archives + 1, ARCHIVES_PER_UNIT):
            last = min(archives, first + ARCHIVES_PER_UNIT - 1)
            yield Unit("column", column_id=column.pk, first=first, last=last, total=total)
    items = (
        Page.objects.live()
        .public()
        .descendant_of(home)
        .not_type(ColumnPage, HomePage)
        .order_by("path")
        .values_list("pk", flat=True)
    )
    for chunk in batched(items.iterator(chunk_size=2000), ITEMS_PER_UNIT):
        yield Unit("pages", ids=tuple(chunk))
    for chunk in batched(project_codes(), ITEMS_PER_UNIT):
        yield Unit("projects", codes=tuple(chunk))
    for number in range(sitemap_chunk_count(site) + 1):
        yield Unit("sitemap", first=number)
    yield Unit("special")


def _column_unit(writer: Writer, unit: Unit) -> int:
    """The column's list pages first..last in one pass over its items (oldest
    first, grouped into archive pages); the front page and the feed with first=0."""
    column = ColumnPage.objects.get(pk=unit.column_id)
    url = page_url(column, writer.site)
    per_page = settings.GGZY_PAGE_SIZE
    rendered = 0
    if unit.first == 0:
        newest = list(column_items(column=column)[:per_page])
        writer.html(column, 0, url=url, list_page=ListPage(newest, 0, unit.total, per_page))
        writer.feed(column)
        rendered += 1
    first = max(1, unit.first)
    if unit.last < first:
        return rendered
    items = column_items(column=column).order_by(*OLDEST_FIRST)
    start = (first - 1) * per_page
    window = items[start : min(unit.last * per_page, unit.total)]
    number, batch = first, []
    for item in window.iterator(chunk_size=2000):
        batch.append(item)
        if len(batch) == per_page:
            writer.html(
                column, number, url=url, list_page=ListPage(batch[::-1], number, unit.total, per_page)
            )
            rendered += 1
            number, batch = number + 1, []
    if batch:
        writer.html(column, number, url=url, list_page=ListPage(batch[::-1], number, unit.total, per_page))
        rendered += 1
    return rendered


def run_unit(writer: Writer, unit: Unit) -> int:
    """Render one unit; returns the number of pages (HTML files) rendered."""
    if unit.kind == "column":
        return _column_unit(writer, unit)
    if unit.kind == "sitemap":
        writer.sitemap(unit.first)
        return 0
    if unit.kind == "projects":
        found = projects_notices(unit.codes)  # one query per kind for the unit, not per code
        return sum(1 for code in unit.codes if writer.project(code, found[code]) is not None)
    if unit.kind == "special":
        for number in range(len(SPECIAL_FILES)):
            writer.special(number)
        return len(SPECIAL_FILES)
    # One query per kind of page for the whole chunk, not one per page.
    pages = list(Page.objects.filter(pk__in=unit.ids).order_by("path").specific())
    prefetch_related_objects([p for p in pages if isinstance(p, ArticlePage)], "source_department")
    for page in pages:
        writer.html(page, 0)
    return len(pages)


# --------------------------------------------------------------------------- worker processes

_worker: dict = {}


def _init_worker(root: str) -> None:
    site = default_site()
    _worker["writer"] = Writer(
        Path(root), {}, only_changed=False, site=site, durable=False, copy_assets=False
    )


def _run_in_worker(unit: Unit) -> tuple[int, dict, set[str]]:
    writer = _worker["writer"]
    writer.files = {}
    writer.asset_urls = set()
    writer.result.rendered.clear()
    writer.result.written.clear()
    with render_cache():
        pages = run_unit(writer, unit)
    return pages, writer.files, writer.asset_urls


def default_workers() -> int:
    return os.cpu_count() or 1


def build(root: Path, *, workers: int | None = None) -> BuildResult:
    """Render the whole site into ``root`` (the caller holds the root's lock)."""
    started = time.perf_counter()
    root.mkdir(parents=True, exist_ok=True)
    workers = max(1, workers or default_workers())
    if connection.in_atomic_block:
        workers = 1  # forked workers would not see this transaction's rows
    site = default_site()
    manifest = NewManifest(root)  # streamed into a file, not held in memory
    writer = Writer(root, {}, only_changed=False, site=site, durable=False)
    result = BuildResult(root=root, manifest=Path(), workers=workers)
    try:
        if site.root_page.live:
            if workers == 1:
                with render_cache():
                    for unit in plan(site):
                        result.pages += run_unit(writer, unit)
                        manifest.add(writer.files)
                        writer.files.clear()
            else:
                units = list(plan(site))
                connections.close_all()  # each worker opens its own
                context = multiprocessing.get_context("fork")
                with context.Pool(workers, initializer=_init_worker, initargs=(str(root),)) as pool:
                    for pages, entries, urls in pool.imap_unordered(_run_in_worker, units, chunksize=1):
                        result.pages += pages
                        manifest.add(entries)
                        for url in urls:
                            writer.asset(url)
        manifest.add(writer.files)  # the assets the parent copied
        for relative, path in walk_files(root):
            if relative not in manifest:
                remove_file(root, path)
                result.removed += 1
        result.html_files = manifest.count("page") + manifest.count("special")
        result.assets = manifest.count("asset")
        # Files were written without a per-file fsync (a reader still never sees
        # half a file); the manifest is fsynced last. After a power loss
        # verify_site --restore repairs whatever the disk lost.
        result.manifest = manifest.save()
    except BaseException:
        manifest.discard()
        raise
    result.seconds = time.perf_counter() - started
    return result
