"""Static publishing and tamper protection (网页防篡改).

网络设备管理制度 第七条: the public site is plain files, the CMS stays inside.
网络安全管理办法 二(十一) / 网络信息安全故障应急预案 第六条 (网页内容被篡改):
every published file is in a signed manifest; a periodic check finds modified,
added and missing files and restores them from the database within minutes.

One lock per publish root serialises full builds, incremental updates and
checks, so that a check never sees an update half done.
"""

import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from wagtail.models import Page

from ggzy.core.iterables import batched
from ggzy.portal import sitemaps
from ggzy.portal.models import ColumnPage, ColumnPolicy, HomePage
from ggzy.portal.selectors import archive_count, column_items, item_ordinal, render_cache
from ggzy.portal.sitemaps import sitemap_chunk_count, sitemap_ordinal

from .build import BuildResult, build
from .files import exclusive_lock, remove_file, sha256_file, walk_files
from .manifest import (
    Manifest,
    ManifestError,
    ManifestMissing,
    lock_path,
    open_manifest,
    parse_source,
    verify_entries,
)
from .models import TamperCheck
from .rendering import PORTAL_TYPES, archive_pages, asset_source, page_url
from .writer import UpdateResult, Writer

__all__ = ["BuildResult", "UpdateResult"]

logger = logging.getLogger(__name__)

LIST_CAP = 1000  # paths kept per list in a TamperCheck row


def publish_root(root: Path | str | None = None) -> Path:
    return Path(root) if root is not None else Path(settings.PUBLISH_ROOT)


# --------------------------------------------------------------------------- results


@dataclass
class VerifyReport:
    root: Path
    files_checked: int = 0
    modified: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    manifest_error: str = ""

    @property
    def intact(self) -> bool:
        return not (self.manifest_error or self.modified or self.added or self.missing)


# --------------------------------------------------------------------------- full build


def site_build(*, root: Path | str | None = None, workers: int | None = None) -> BuildResult:
    """Rebuild the whole public site from the database (build_site): every live
    page with its list pages, the column feeds, the sitemap and the assets; files
    of pages no longer live are removed; a new signed manifest is written.
    ``workers``: processes rendering in parallel (default: one per CPU)."""
    root = publish_root(root)
    with exclusive_lock(lock_path(root)):
        return build(root, workers=workers)


def site_rebuild(*, root: Path | str | None = None, workers: int | None = None) -> UpdateResult:
    """A full rebuild of a root that was built before (nothing before the first build)."""
    root = publish_root(root)
    with exclusive_lock(lock_path(root)):
        try:
            open_manifest(root).close()
        except ManifestError as exc:
            _log_skip(exc)
            return UpdateResult(skipped=str(exc))
        build(root, workers=workers)
    return UpdateResult(rendered=["*"], written=["*"])


# --------------------------------------------------------------------------- incremental updates


def _load_for_update(root: Path) -> tuple[Manifest | None, str]:
    """The open manifest to update (the caller closes it), or None and why not."""
    try:
        return open_manifest(root), ""
    except ManifestError as exc:
        # Before the first build_site there is nothing to update. Never re-sign a
        # manifest that may have been tampered with: the periodic check reports it.
        _log_skip(exc)
        return None, str(exc)


def _update(root: Path, change: Callable[[Manifest, Writer], None]) -> UpdateResult:
    """Open the root's manifest, let ``change`` render into it and re-sign it if
    any file changed. A manifest that fails its signature, up front or in a part
    ``change`` reads, is left as it is (nothing re-signed)."""
    manifest, skipped = _load_for_update(root)
    if manifest is None:
        return UpdateResult(skipped=skipped)
    with manifest:
        writer = Writer(root, manifest.files, only_changed=True)
        try:
            change(manifest, writer)
        except ManifestError as exc:
            _log_skip(exc)
            return UpdateResult(skipped=str(exc))
        if writer.result.written or writer.result.removed:
            manifest.save()
        return writer.result


def _log_skip(exc: ManifestError) -> None:
    level = logging.DEBUG if isinstance(exc, ManifestMissing) else logging.ERROR
    logger.log(level, "static site not updated: %s", exc)


def _is_public(page: Page) -> bool:
    return page.live and isinstance(page, PORTAL_TYPES) and not page.get_view_restrictions().exists()


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
        if changed is not None and _is_public(changed.specific):
            writer.page(changed.specific)
    for stale in sorted(own - kept):
        writer.remove(stale)
    # Every column above it (now and before a move), nearest first, and the home page.
    ancestors = Page.objects.filter(path__in=item.new_paths | item.old_paths).order_by("-depth").specific()
    for ancestor in ancestors:
        if isinstance(ancestor, ColumnPage) and _is_public(ancestor):
            _update_column(writer, manifest, ancestor, item)
    home = writer.site.root_page.specific
    if _is_public(home):
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
        from .tasks import rebuild_site

        manifest, skipped = _load_for_update(root)
        if manifest is None:
            return UpdateResult(skipped=skipped)  # nothing built yet (or a bad manifest)
        manifest.close()
        result = rebuild_site.enqueue(root=str(root))
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
        live=page is not None and _is_public(page),
        was_listed=False,
        new_paths=new_paths,
        old_paths=_ancestor_paths(old_parent_path, inclusive=True) if old_parent_path else new_paths,
    )
    with exclusive_lock(lock_path(root)), render_cache():
        return _update(root, lambda manifest, writer: _update_item(manifest, writer, item))


def site_home_changed(*, root: Path | str | None = None) -> UpdateResult:
    """Re-render just the home page (and re-sign the manifest if it changed), e.g.
    when a service-suspension notice appears or ends (网络安全管理办法 二(十一))."""
    root = publish_root(root)

    def change(manifest: Manifest, writer: Writer) -> None:
        home = writer.site.root_page.specific
        if _is_public(home):
            writer.html(home, 0)

    with exclusive_lock(lock_path(root)):
        return _update(root, change)


def site_column_changed(*, column_id: int, root: Path | str | None = None) -> UpdateResult:
    """A column's policy changed (网站管理制度 第九条 layout): re-render the column
    and every page that takes its layout from it."""
    root = publish_root(root)
    column = ColumnPage.objects.filter(pk=column_id).first()
    if column is None or not _is_public(column):
        return UpdateResult(skipped="column not live")
    # Sub-columns with a policy of their own keep theirs, and so do the pages below them.
    own = ColumnPolicy.objects.filter(column__path__startswith=column.path, column__depth__gt=column.depth)
    pages = Page.objects.live().public().descendant_of(column).order_by("path")
    for path in own.values_list("column__path", flat=True):
        pages = pages.exclude(path__startswith=path)

    def change(manifest: Manifest, writer: Writer) -> None:
        for chunk in batched(itertools.chain([column], pages.specific().iterator(chunk_size=500)), 500):
            by_page = manifest.paths_of(page.pk for page in chunk)
            for page in chunk:
                kept = writer.page(page)
                for stale in sorted(by_page.get(page.pk, set()) - kept):
                    writer.remove(stale)

    with exclusive_lock(lock_path(root)), render_cache():
        return _update(root, change)


# --------------------------------------------------------------------------- checking


def _verify(root: Path) -> tuple[VerifyReport, Manifest | None]:
    """Compare the root with its manifest; the manifest stays open (for a
    restore) unless it could not be trusted. The caller closes it."""
    report = VerifyReport(root=root)
    symlinks: set[str] = set()

    def walk():
        for relative, path in walk_files(root):
            report.files_checked += 1
            if path.is_symlink():
                symlinks.add(relative)
            yield relative

    try:
        manifest, report.added, report.missing, present = verify_entries(root, walk())
    except ManifestError as exc:
        report.manifest_error = str(exc)
        return report, None
    for relative, sha, size in present:
        path = root / relative
        # A symlink where a file should be is a modification, whatever it points to.
        if relative in symlinks or path.lstat().st_size != size or sha256_file(path) != sha:
            report.modified.append(relative)
    return report, manifest


def site_verify(*, root: Path | str | None = None) -> VerifyReport:
    """Check the publish root against its signed manifest (verify_site)."""
    root = publish_root(root)
    with exclusive_lock(lock_path(root)):
        report, manifest = _verify(root)
        if manifest is not None:
            manifest.close()
        return report


def _restore_one(writer: Writer, relative: str) -> bool:
    """Re-render (or copy) one listed file from the database; False if its
    source is gone (the entry was stale)."""
    kind, a, b = parse_source(writer.files[relative]["source"])
    if kind == "asset":
        asset = asset_source("/" + relative)
        if asset is not None:
            writer.put(relative, asset.read_bytes(), "asset")
        return asset is not None
    if kind == "sitemap":
        if a > sitemap_chunk_count(writer.site):
            return False
        return writer.sitemap(a) == relative
    page = Page.objects.filter(pk=a).specific().first()
    if page is None or not _is_public(page):
        return False
    if kind == "feed":
        return isinstance(page, ColumnPage) and writer.feed(page) == relative
    return kind == "page" and b <= archive_pages(page) and writer.html(page, b) == relative


def _restore(root: Path, report: VerifyReport, manifest: Manifest | None) -> None:
    if manifest is None:
        # No trustworthy manifest: the database is the truth, so rebuild and re-sign.
        build(root)
        return
    writer = Writer(root, manifest.files, only_changed=False)
    for relative in report.added:
        path = root / relative
        if path.is_symlink() or path.is_file():
            remove_file(root, path)
    for relative in report.modified:
        remove_file(root, root / relative)  # a symlink goes too, never written through
    for relative in [*report.modified, *report.missing]:
        if relative in manifest.files and not _restore_one(writer, relative):
            writer.remove(relative)
    manifest.save()


@dataclass
class CheckResult:
    report: VerifyReport  # what the check found
    after: VerifyReport | None  # the re-check after restoring, if it restored
    record: TamperCheck

    @property
    def intact(self) -> bool:
        return (self.after or self.report).intact


def site_check(*, restore: bool, root: Path | str | None = None) -> CheckResult:
    """Verify the root; with ``restore`` re-render modified/missing files from the
    database, remove added ones and verify again. Records the outcome
    (网络信息安全故障应急预案 第六条)."""
    root = publish_root(root)
    started = time.perf_counter()
    with exclusive_lock(lock_path(root)):
        report, manifest = _verify(root)
        after = None
        try:
            if restore and not report.intact:
                _restore(root, report, manifest)
        finally:
            if manifest is not None:
                manifest.close()
        if restore and not report.intact:
            after, manifest = _verify(root)
            if manifest is not None:
                manifest.close()
    record = tamper_event(
        report=report,
        restored=after is not None,
        intact_after_restore=after.intact if after is not None else None,
        duration_ms=int((time.perf_counter() - started) * 1000),
    )
    return CheckResult(report=report, after=after, record=record)


def tamper_event(
    *, report: VerifyReport, restored: bool, intact_after_restore: bool | None, duration_ms: int = 0
) -> TamperCheck:
    """Record what a tamper check found: a TamperCheck row and, when anything was
    wrong, a security event in the audit chain (网络信息安全故障应急预案 第六条)."""
    if not report.intact:
        logger.error(
            "publish root %s tampered: %d modified, %d added, %d missing%s",
            report.root,
            len(report.modified),
            len(report.added),
            len(report.missing),
            f" ({report.manifest_error})" if report.manifest_error else "",
        )
    if not report.intact:
        from ggzy.audit import services as audit

        audit.record(
            action="sitebuild.site.tampered",
            outcome="failure",
            object_type="sitebuild.publishroot",
            object_repr=str(report.root),
            modified=report.modified[:LIST_CAP],
            added=report.added[:LIST_CAP],
            missing=report.missing[:LIST_CAP],
            manifest_error=report.manifest_error[:300],
            restored=restored,
            intact_after_restore=intact_after_restore,
        )
    return TamperCheck.objects.create(
        root=str(report.root),
        files_checked=report.files_checked,
        intact=report.intact,
        manifest_error=report.manifest_error[:300],
        modified=report.modified[:LIST_CAP],
        added=report.added[:LIST_CAP],
        missing=report.missing[:LIST_CAP],
        modified_count=len(report.modified),
        added_count=len(report.added),
        missing_count=len(report.missing),
        restored=restored,
        intact_after_restore=intact_after_restore,
        duration_ms=duration_ms,
    )
