"""Static publishing and tamper protection (网页防篡改): the public write API.

网络设备管理制度 第七条: the public site is plain files, the CMS stays inside.
网络安全管理办法 二(十一) / 网络信息安全故障应急预案 第六条 (网页内容被篡改):
every published file is in a signed manifest; a periodic check finds modified,
added and missing files and restores them from the database within minutes.

One lock per publish root serialises full builds, incremental updates and
checks, so that a check never sees an update half done.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from wagtail.models import Page

from ggzy.portal import sitemaps
from ggzy.portal.models import ColumnPage, HomePage
from ggzy.portal.selectors import archive_count, column_items, item_ordinal, render_cache
from ggzy.portal.sitemaps import sitemap_chunk_count, sitemap_ordinal

from . import tasks
from .build import BuildResult
from .files import exclusive_lock
from .links import link_check_written
from .manifest import Manifest, lock_path
from .rendering import page_url
from .tamper import LIST_CAP, CheckResult, VerifyReport, site_check, site_verify, tamper_event
from .updates import (
    apply_update,
    is_public,
    load_for_update,
    publish_root,
    site_build,
    site_column_changed,
    site_home_changed,
    site_rebuild,
)
from .writer import UpdateResult, Writer

__all__ = [
    "LIST_CAP",
    "BuildResult",
    "CheckResult",
    "UpdateResult",
    "VerifyReport",
    "publish_root",
    "site_build",
    "site_check",
    "site_column_changed",
    "site_home_changed",
    "site_page_changed",
    "site_rebuild",
    "site_verify",
    "tamper_event",
]


logger = logging.getLogger("ggzy.sitebuild.services")

# --------------------------------------------------------------------------- incremental page updates


def _ancestor_paths(path: str, *, inclusive: bool = False) -> set[str]:
    end = len(path) + (1 if inclusive else 0)
    return {path[:i] for i in range(Page.steplen, end, Page.steplen)}


def changed_numbers(
    *, ordinal: int | None, per_page: int, old: int, new: int, moved_in_or_out: bool
) -> set[int]:
    """Which of pages 1..new (archive pages, sitemap chunks) change when the item
    at oldest-first ``ordinal`` is added or removed (``moved_in_or_out``) or only
    edited: pages before its own keep their items; pages from its own on shift
    by one (for a new item: just the last); the page that was or becomes the
    last changes its "newer" link. ``ordinal`` None: unknown, all pages."""
    own = 1 if ordinal is None else ordinal // per_page + 1
    if not moved_in_or_out:
        return {own} if own <= new else set()
    if old != new and min(old, new) >= 1:
        own = min(own, old, new)
    return set(range(own, new + 1))


@dataclass
class _Item:
    """The item a publish, unpublish, move or deletion was about."""

    page: Page | None  # None once deleted
    page_id: int
    key: tuple  # (first_published_at, pk): its place in every list
    known_key: bool
    live: bool  # listed now
    was_listed: bool  # had published files before this change
    new_paths: set[str]  # ancestors now
    old_paths: set[str]  # ancestors before a move (= new_paths otherwise)

    def membership_changed(self, path: str) -> bool:
        listed_before = self.was_listed and path in self.old_paths
        listed_now = self.live and path in self.new_paths
        return listed_before != listed_now


def _update_column(writer: Writer, manifest: Manifest, column: ColumnPage, item: _Item) -> None:
    """The column's front page, feed and exactly the archive pages that change."""
    per_page = settings.GGZY_PAGE_SIZE
    url = page_url(column, writer.site)
    existing = manifest.numbers("page", column.pk)
    new = archive_count(column_items(column=column).count(), per_page)
    ordinal = (
        item_ordinal(column=column, first_published_at=item.key[0], pk=item.key[1])
        if item.known_key
        else None
    )
    numbers = changed_numbers(
        ordinal=ordinal,
        per_page=per_page,
        old=max(existing, default=0),
        new=new,
        moved_in_or_out=item.membership_changed(column.path),
    )
    numbers |= set(range(1, new + 1)) - set(existing)  # pages that do not exist yet
    for number in [0, *sorted(numbers)]:
        writer.html(column, number, url=url)
    writer.feed(column)
    for path in manifest.numbered_from("page", column.pk, new + 1):
        writer.remove(path)


def _update_sitemap(writer: Writer, manifest: Manifest, item: _Item) -> None:
    existing = manifest.numbers("sitemap")
    new = sitemap_chunk_count(writer.site)
    ordinal = (
        sitemap_ordinal(site=writer.site, first_published_at=item.key[0], pk=item.key[1])
        if item.known_key
        else None
    )
    numbers = changed_numbers(
        ordinal=ordinal,
        per_page=sitemaps.SITEMAP_LIMIT,
        old=max(existing, default=0),
        new=new,
        moved_in_or_out=item.was_listed != item.live,
    )
    numbers |= set(range(1, new + 1)) - set(existing)
    for number in [0, *sorted(numbers)]:
        writer.sitemap(number)
    for path in manifest.numbered_from("sitemap", 0, new + 1):
        writer.remove(path)


def _update_item(manifest: Manifest, writer: Writer, item: _Item) -> None:
    own = manifest.paths_of([item.page_id]).get(item.page_id, set())
    item.was_listed = bool(own)
    # The item itself (its old files after a move or when no longer live go).
    kept: set[str] = set()
    if item.live:
        kept = writer.page(item.page)
        changed = getattr(item.page, "changed_notice", None)  # a change notice shows on the notice it changes
        if changed is not None and is_public(changed.specific):
            writer.page(changed.specific)
    for stale in sorted(own - kept):
        writer.remove(stale)
    # A notice's project view (every notice of its project code), published or not any more.
    code = getattr(item.page, "project_code", "") if item.page is not None else ""
    if code:
        writer.project(code)
    # Every column above it (now and before a move), nearest first, and the home page.
    ancestors = Page.objects.filter(path__in=item.new_paths | item.old_paths).order_by("-depth").specific()
    for ancestor in ancestors:
        if isinstance(ancestor, ColumnPage) and is_public(ancestor):
            _update_column(writer, manifest, ancestor, item)
    home = writer.site.root_page.specific
    if is_public(home):
        writer.html(home, 0)
    _update_sitemap(writer, manifest, item)


def site_page_changed(
    *,
    page_id: int,
    page_path: str,
    old_parent_path: str = "",
    first_published_at=None,
    root: Path | str | None = None,
) -> UpdateResult:
    """After a page was published, unpublished, edited, deleted or moved: write
    exactly the files that change (网络设备管理制度 第七条, issue 8):

    - the item's page (or remove its files if it is no longer live; its old
      files after a move);
    - for every column above it (and above its old place, ``old_parent_path``,
      after a move): the front page, the archive pages whose items changed
      (normally only the newest one), the RSS feed;
    - the home page, the sitemap index and the sitemap chunk(s) that change.

    Only files whose bytes changed are written. ``first_published_at`` places a
    deleted page in the lists (without it all archive pages are re-rendered).
    A column or the home page is in the navigation of every page: that queues a
    full rebuild (``tasks.rebuild_site``) instead of running it in the request.
    """
    root = publish_root(root)
    page = Page.objects.filter(pk=page_id).specific().first()
    if isinstance(page, HomePage | ColumnPage) or (page is None and len(page_path) <= 3 * Page.steplen):
        manifest, skipped = load_for_update(root)
        if manifest is None:
            return UpdateResult(skipped=skipped)  # nothing built yet (or a bad manifest)
        manifest.close()
        result = tasks.rebuild_site.enqueue(root=str(root))
        return UpdateResult(queued=f"rebuild_site {result.id}")
    if page is not None:
        page_path = page.path
        first_published_at = page.first_published_at
    new_paths = _ancestor_paths(page_path)
    item = _Item(
        page=page,
        page_id=page_id,
        key=(first_published_at, page_id),
        known_key=page is not None or first_published_at is not None,
        live=page is not None and is_public(page),
        was_listed=False,
        new_paths=new_paths,
        old_paths=_ancestor_paths(old_parent_path, inclusive=True) if old_parent_path else new_paths,
    )
    with exclusive_lock(lock_path(root)), render_cache():
        result = apply_update(root, lambda manifest, writer: _update_item(manifest, writer, item))
    # 政府网站检查指标 不可用链接: the pages this publish wrote, checked now (the nightly
    # crawl checks the rest); a failure here never undoes the publish.
    if result.written:
        try:
            link_check_written(root=root, written=result.written)
        except Exception:
            logger.exception("link check after publishing failed")
    return result
