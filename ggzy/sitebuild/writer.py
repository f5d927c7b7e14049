"""Render pages, feeds and sitemap files into a publish root and keep their
manifest entries; only files whose bytes changed are written on an update.

Manifest sources: ``page:<id>:<n>`` (list page n of a page, 0 = its main file),
``feed:<column id>``, ``sitemap:<k>`` (0 = the index), ``project:<anchor page id>``
(a project view, ``xm/<project code>/``) and ``asset``."""

import logging
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

from wagtail.models import Page, Site

from ggzy.portal.models import ColumnPage
from ggzy.portal.selectors import ListPage

from . import files
from .files import remove_file, safe_join
from .manifest import entry
from .rendering import (
    SPECIAL_FILES,
    asset_file,
    asset_source,
    asset_urls,
    default_site,
    feed_file,
    page_file,
    page_outputs,
    page_url,
    project_file,
    render_feed,
    render_page,
    render_project,
    render_sitemap,
    render_special,
    sitemap_file,
)

logger = logging.getLogger(__name__)


def page_source(page_id: int, number: int) -> str:
    return f"page:{page_id}:{number}"


@dataclass
class UpdateResult:
    rendered: list[str] = field(default_factory=list)  # files rendered
    written: list[str] = field(default_factory=list)  # of those, files whose bytes changed
    removed: list[str] = field(default_factory=list)
    skipped: str = ""  # why nothing was done (no manifest yet, bad signature)
    queued: str = ""  # the task that will do it (a full rebuild, a column)


class Writer:
    """Renders into ``root`` and records manifest entries in ``files`` (an open
    manifest's entries, or a dict for a build). ``only_changed``: compare with
    the manifest and write only files whose bytes differ.
    ``durable``: fsync every file (a full build syncs once at the end instead)."""

    def __init__(
        self,
        root: Path,
        files: MutableMapping[str, dict],
        *,
        only_changed: bool,
        site: Site | None = None,
        durable: bool = True,
        copy_assets: bool = True,
    ):
        self.root = root
        self.files = files
        self.only_changed = only_changed
        self.durable = durable
        self.copy_assets = copy_assets
        self.site = site or default_site()
        self.result = UpdateResult()
        self.assets_seen: set[str] = set()
        self.asset_urls: set[str] = set()  # every asset URL the rendered pages use

    def put(self, relative: str, data: bytes, source: str) -> None:
        target = safe_join(self.root, relative)
        new = entry(data, source)
        old = self.files.get(relative)
        if self.only_changed:
            unchanged = old is not None and old["sha256"] == new["sha256"] and target.is_file()
        else:
            # A full build or a restore trusts no manifest, only the bytes on disk
            # (renaming over an existing file is costly: ext4 flushes it).
            unchanged = files.same_bytes(target, data)
        if not unchanged:
            files.atomic_write(target, data, durable=self.durable)
            self.result.written.append(relative)
        self.files[relative] = new

    def assets(self, html: bytes) -> set[str]:
        """Copy the assets a page uses (once per run); returns their URLs."""
        urls = asset_urls(html)
        self.asset_urls.update(urls)
        if self.copy_assets:
            for url in urls:
                self.asset(url)
        return urls

    def asset(self, url: str) -> None:
        relative = asset_file(url)
        if relative is None or relative in self.assets_seen:
            return
        self.assets_seen.add(relative)
        # Asset URLs are content-addressed (hashed static names, renditions,
        # documents locked while used by a live page): copy only when absent.
        if self.only_changed and relative in self.files and (self.root / relative).is_file():
            return
        source = asset_source(url)
        if source is None:
            logger.warning("asset %s used by a published page was not found", url)
            return
        self.put(relative, source.read_bytes(), "asset")

    def html(
        self, page: Page, number: int, *, url: str | None = None, list_page: ListPage | None = None
    ) -> str:
        """Render list page ``number`` of a page (0 = its main file)."""
        url = url or page_url(page, self.site)
        relative = page_file(url, number)
        data = render_page(page, number=number, site=self.site, list_page=list_page)
        self.result.rendered.append(relative)
        self.put(relative, data, page_source(page.pk, number))
        self.assets(data)
        return relative

    def page(self, page: Page, number: int | None = None) -> set[str]:
        """Render every file of a live page (all list pages and, for a column,
        its feed), or only list page ``number``."""
        outputs = page_outputs(page, self.site)
        if number is not None:
            outputs = [(path, n) for path, n in outputs if n == number]
        for _, n in outputs:
            self.html(page, n)
        written = {relative for relative, _ in outputs}
        if number is None and isinstance(page, ColumnPage):
            written.add(self.feed(page))
        return written

    def feed(self, column: ColumnPage) -> str:
        relative = feed_file(page_url(column, self.site))
        data = render_feed(column, site=self.site)
        self.result.rendered.append(relative)
        self.put(relative, data, f"feed:{column.pk}")
        return relative

    def project(self, code: str, notices: list | None = None) -> str | None:
        """Render a project view (``project:<anchor page id>``), or remove its file
        once no notice of the code is published; the file written, or None."""
        relative = project_file(code)
        rendered = render_project(code, site=self.site, notices=notices)
        if rendered is None:
            if relative in self.files:
                self.remove(relative)
            return None
        data, anchor = rendered
        self.result.rendered.append(relative)
        self.put(relative, data, f"project:{anchor}")
        self.assets(data)
        return relative

    def sitemap(self, number: int) -> str:
        relative = sitemap_file(number)
        data = render_sitemap(number, site=self.site)
        self.result.rendered.append(relative)
        self.put(relative, data, f"sitemap:{number}")
        return relative

    def special(self, number: int) -> str:
        """网站地图, 无障碍说明 or an error page (rendering.SPECIAL_FILES)."""
        relative = SPECIAL_FILES[number]
        data = render_special(number, site=self.site)
        self.result.rendered.append(relative)
        self.put(relative, data, f"special:{number}")
        self.assets(data)
        return relative

    def remove(self, relative: str) -> None:
        remove_file(self.root, safe_join(self.root, relative))
        self.files.pop(relative, None)
        self.result.removed.append(relative)
