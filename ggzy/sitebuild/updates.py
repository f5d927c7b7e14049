"""Writing the static site: full builds and the updates that re-render a known
set of files (the home page, a column's layout). Incremental page updates are
``services.site_page_changed``; tamper checks are ``tamper``.

网络设备管理制度 第七条: the public site is plain files, the CMS stays inside.
One lock per publish root serialises full builds, incremental updates and
checks, so that a check never sees an update half done.
"""

import itertools
import logging
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from wagtail.models import Page

from ggzy.core.iterables import batched
from ggzy.portal.models import ColumnPage, ColumnPolicy
from ggzy.portal.selectors import render_cache

from .build import BuildResult, build
from .files import exclusive_lock
from .manifest import Manifest, ManifestError, ManifestMissing, lock_path, open_manifest
from .rendering import PORTAL_TYPES
from .writer import UpdateResult, Writer

logger = logging.getLogger("ggzy.sitebuild.services")


def publish_root(root: Path | str | None = None) -> Path:
    return Path(root) if root is not None else Path(settings.PUBLISH_ROOT)


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
            log_skip(exc)
            return UpdateResult(skipped=str(exc))
        build(root, workers=workers)
    return UpdateResult(rendered=["*"], written=["*"])


# --------------------------------------------------------------------------- updates


def load_for_update(root: Path) -> tuple[Manifest | None, str]:
    """The open manifest to update (the caller closes it), or None and why not."""
    try:
        return open_manifest(root), ""
    except ManifestError as exc:
        # Before the first build_site there is nothing to update. Never re-sign a
        # manifest that may have been tampered with: the periodic check reports it.
        log_skip(exc)
        return None, str(exc)


def apply_update(root: Path, change: Callable[[Manifest, Writer], None]) -> UpdateResult:
    """Open the root's manifest, let ``change`` render into it and re-sign it if
    any file changed. A manifest that fails its signature, up front or in a part
    ``change`` reads, is left as it is (nothing re-signed)."""
    manifest, skipped = load_for_update(root)
    if manifest is None:
        return UpdateResult(skipped=skipped)
    with manifest:
        writer = Writer(root, manifest.files, only_changed=True)
        try:
            change(manifest, writer)
        except ManifestError as exc:
            log_skip(exc)
            return UpdateResult(skipped=str(exc))
        if writer.result.written or writer.result.removed:
            manifest.save()
        return writer.result


def log_skip(exc: ManifestError) -> None:
    level = logging.DEBUG if isinstance(exc, ManifestMissing) else logging.ERROR
    logger.log(level, "static site not updated: %s", exc)


def is_public(page: Page) -> bool:
    return page.live and isinstance(page, PORTAL_TYPES) and not page.get_view_restrictions().exists()


def site_home_changed(*, root: Path | str | None = None) -> UpdateResult:
    """Re-render just the home page (and re-sign the manifest if it changed), e.g.
    when a service-suspension notice appears or ends (网络安全管理办法 二(十一))."""
    root = publish_root(root)

    def change(manifest: Manifest, writer: Writer) -> None:
        home = writer.site.root_page.specific
        if is_public(home):
            writer.html(home, 0)

    with exclusive_lock(lock_path(root)):
        return apply_update(root, change)


def site_column_changed(*, column_id: int, root: Path | str | None = None) -> UpdateResult:
    """A column's policy changed (网站管理制度 第九条 layout): re-render the column
    and every page that takes its layout from it."""
    root = publish_root(root)
    column = ColumnPage.objects.filter(pk=column_id).first()
    if column is None or not is_public(column):
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
        return apply_update(root, change)
