"""Static publishing and tamper protection (网页防篡改).

网络设备管理制度 第七条: the public site is plain files, the CMS stays inside.
网络安全管理办法 二(十一) / 网络信息安全故障应急预案 第六条 (网页内容被篡改):
every published file is in a signed manifest; a periodic check finds modified,
added and missing files and restores them from the database within minutes.

One lock per publish root serialises full builds, incremental updates and
checks, so that a check never sees an update half done.
"""

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from wagtail.models import Page

from ggzy.portal.models import ColumnPage, ColumnPolicy, HomePage

from .files import atomic_write, exclusive_lock, remove_file, safe_join, sha256_file, walk_files
from .manifest import Manifest, ManifestError, ManifestMissing, entry, load_manifest, lock_path, save_manifest
from .models import TamperCheck
from .rendering import (
    PORTAL_TYPES,
    asset_file,
    asset_source,
    asset_urls,
    default_site,
    page_outputs,
    render_page,
    site_pages,
)

logger = logging.getLogger(__name__)

LIST_CAP = 1000  # paths kept per list in a TamperCheck row


def publish_root(root: Path | str | None = None) -> Path:
    return Path(root) if root is not None else Path(settings.PUBLISH_ROOT)


# --------------------------------------------------------------------------- results


@dataclass
class BuildResult:
    root: Path
    manifest: Path
    pages: int = 0
    html_files: int = 0
    assets: int = 0
    removed: int = 0
    seconds: float = 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


@dataclass
class UpdateResult:
    rendered: list[str] = field(default_factory=list)  # files rendered
    written: list[str] = field(default_factory=list)  # of those, files whose bytes changed
    removed: list[str] = field(default_factory=list)
    skipped: str = ""  # why nothing was done (no manifest yet, bad signature)


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


# --------------------------------------------------------------------------- writing


class _Writer:
    """Renders pages and copies assets into a root, keeping manifest entries."""

    def __init__(self, root: Path, manifest: Manifest, *, only_changed: bool):
        self.root = root
        self.manifest = manifest
        self.only_changed = only_changed
        self.site = default_site()
        self.result = UpdateResult()
        self.assets_seen: set[str] = set()

    def _put(self, relative: str, data: bytes, source: str) -> None:
        target = safe_join(self.root, relative)
        new = entry(data, source)
        old = self.manifest.files.get(relative)
        if not self.only_changed or old is None or old["sha256"] != new["sha256"] or not target.is_file():
            atomic_write(target, data)
            self.result.written.append(relative)
        self.manifest.files[relative] = new

    def _assets(self, html: bytes) -> None:
        for url in asset_urls(html):
            relative = asset_file(url)
            if relative is None or relative in self.assets_seen:
                continue
            self.assets_seen.add(relative)
            # Asset URLs are content-addressed (hashed static names, renditions,
            # documents locked while used by a live page): copy only when absent.
            if self.only_changed and relative in self.manifest.files and (self.root / relative).is_file():
                continue
            source = asset_source(url)
            if source is None:
                logger.warning("asset %s used by a published page was not found", url)
                continue
            self._put(relative, source.read_bytes(), "asset")

    def page(self, page: Page, number: int | None = None) -> set[str]:
        """Render every file of a live page (or only list page ``number``)."""
        outputs = page_outputs(page, self.site)
        if number is not None:
            outputs = [(path, n) for path, n in outputs if n == number]
        for relative, n in outputs:
            html = render_page(page, number=n, site=self.site)
            self.result.rendered.append(relative)
            self._put(relative, html, f"page:{page.pk}:{n}")
            self._assets(html)
        return {relative for relative, _ in outputs}

    def remove(self, relative: str) -> None:
        remove_file(self.root, safe_join(self.root, relative))
        self.manifest.files.pop(relative, None)
        self.result.removed.append(relative)


def _build(root: Path) -> BuildResult:
    started = time.perf_counter()
    root.mkdir(parents=True, exist_ok=True)
    writer = _Writer(root, Manifest(), only_changed=False)
    result = BuildResult(root=root, manifest=Path())
    for page in site_pages(writer.site):
        writer.page(page)
        result.pages += 1
    keep = writer.manifest.files
    for relative, path in list(walk_files(root)):
        if relative not in keep:
            remove_file(root, path)
            result.removed += 1
    result.manifest = save_manifest(root, writer.manifest)
    result.html_files = sum(1 for e in keep.values() if e["source"].startswith("page:"))
    result.assets = len(keep) - result.html_files
    result.seconds = time.perf_counter() - started
    return result


def site_build(*, root: Path | str | None = None) -> BuildResult:
    """Rebuild the whole public site from the database (build_site): every live
    page, its list pages and assets; files of pages no longer live are removed;
    a new signed manifest is written."""
    root = publish_root(root)
    with exclusive_lock(lock_path(root)):
        return _build(root)


def _update(root: Path, *, pages: Iterable[Page], gone_page_ids: Iterable[int] = ()) -> UpdateResult:
    """Re-render the given pages and remove the files of pages no longer live,
    then re-sign the manifest. Nothing happens before the first full build."""
    try:
        manifest = load_manifest(root)
    except ManifestError as exc:
        # Before the first build_site there is nothing to update. Never re-sign a
        # manifest that may have been tampered with: the periodic check reports it.
        _log_skip(exc)
        return UpdateResult(skipped=str(exc))
    by_page = manifest.paths_by_page()
    writer = _Writer(root, manifest, only_changed=True)
    for page in pages:
        kept = writer.page(page)
        for stale in sorted(by_page.get(page.pk, set()) - kept):  # fewer list pages, new slug
            writer.remove(stale)
    for page_id in gone_page_ids:
        for stale in sorted(by_page.get(page_id, set())):
            writer.remove(stale)
    if writer.result.written or writer.result.removed:
        save_manifest(root, manifest)
    return writer.result


def _log_skip(exc: ManifestError) -> None:
    level = logging.DEBUG if isinstance(exc, ManifestMissing) else logging.ERROR
    logger.log(level, "static site not updated: %s", exc)


def _is_public(page: Page) -> bool:
    return page.live and isinstance(page, PORTAL_TYPES) and not page.get_view_restrictions().exists()


def site_page_changed(
    *, page_id: int, page_path: str, old_parent_path: str = "", root: Path | str | None = None
) -> UpdateResult:
    """After a page was published, unpublished, deleted or moved: re-render the
    page, the list pages of every column above it (and above its old place,
    ``old_parent_path``, after a move) and the home page; remove its files if it
    is no longer live, and its old files after a move. A column or the home page
    changes the navigation of every page, so it rebuilds the site."""
    root = publish_root(root)
    page = Page.objects.filter(pk=page_id).specific().first()
    with exclusive_lock(lock_path(root)):
        if isinstance(page, HomePage | ColumnPage) or (page is None and len(page_path) <= 3 * Page.steplen):
            try:
                load_manifest(root)
            except ManifestError as exc:
                _log_skip(exc)
                return UpdateResult(skipped=str(exc))
            _build(root)
            return UpdateResult(rendered=["*"], written=["*"])
        prefixes = [page_path[:i] for i in range(Page.steplen, len(page_path), Page.steplen)]
        prefixes += [old_parent_path[:i] for i in range(Page.steplen, len(old_parent_path) + 1, Page.steplen)]
        ancestors = [
            p
            for p in Page.objects.filter(path__in=prefixes).order_by("-depth").specific()
            if isinstance(p, HomePage | ColumnPage) and _is_public(p)
        ]
        live = page is not None and _is_public(page)
        return _update(
            root, pages=[page, *ancestors] if live else ancestors, gone_page_ids=[] if live else [page_id]
        )


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
    with exclusive_lock(lock_path(root)):
        return _update(root, pages=[column, *pages.specific().iterator(chunk_size=500)])


# --------------------------------------------------------------------------- checking


def _verify(root: Path) -> tuple[VerifyReport, Manifest | None]:
    report = VerifyReport(root=root)
    try:
        manifest = load_manifest(root)
    except ManifestError as exc:
        report.manifest_error = str(exc)
        return report, None
    seen = set()
    for relative, path in walk_files(root):
        report.files_checked += 1
        expected = manifest.files.get(relative)
        if expected is None:
            report.added.append(relative)
            continue
        seen.add(relative)
        stat = path.lstat()
        # A symlink where a file should be is a modification, whatever it points to.
        if path.is_symlink() or stat.st_size != expected["size"] or sha256_file(path) != expected["sha256"]:
            report.modified.append(relative)
    report.missing = sorted(set(manifest.files) - seen)
    report.modified.sort()
    report.added.sort()
    return report, manifest


def site_verify(*, root: Path | str | None = None) -> VerifyReport:
    """Check the publish root against its signed manifest (verify_site)."""
    root = publish_root(root)
    with exclusive_lock(lock_path(root)):
        return _verify(root)[0]


def _restore(root: Path, report: VerifyReport, manifest: Manifest | None) -> None:
    if manifest is None:
        # No trustworthy manifest: the database is the truth, so rebuild and re-sign.
        _build(root)
        return
    writer = _Writer(root, manifest, only_changed=False)
    for relative in report.added:
        path = root / relative
        if path.is_symlink() or path.is_file():
            remove_file(root, path)
    for relative in report.modified:
        remove_file(root, root / relative)  # a symlink goes too, never written through
    for relative in [*report.modified, *report.missing]:
        source = manifest.files[relative]["source"]
        kind, _, rest = source.partition(":")
        if kind == "page":
            page_id, number = (int(x) for x in rest.split(":"))
            page = Page.objects.filter(pk=page_id).specific().first()
            if page is not None and _is_public(page) and writer.page(page, number):
                continue
            writer.remove(relative)  # its page is gone: the entry was stale
        else:
            url = "/" + relative
            asset = asset_source(url)
            if asset is None:
                writer.remove(relative)
            else:
                writer._put(relative, asset.read_bytes(), "asset")
    save_manifest(root, manifest)


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
        if restore and not report.intact:
            _restore(root, report, manifest)
            after = _verify(root)[0]
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
