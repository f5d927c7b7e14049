"""Render portal pages to bytes with the same templates as the dynamic site,
and map them (and the assets they use) to files under the publish root."""

import re
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from ggzy.notices.projects import project_url
from ggzy.notices.selectors import project_notices
from ggzy.notices.views import project_response
from ggzy.portal.feeds import ColumnFeed
from ggzy.portal.models import ColumnPage, HomePage
from ggzy.portal.selectors import ListPage, archive_count, column_items
from ggzy.portal.sitemaps import chunk_url, sitemap_chunk, sitemap_index
from ggzy.portal.views import (
    ACCESSIBILITY_PAGE_URL,
    SITEMAP_PAGE_URL,
    accessibility_page,
    not_found_html,
    server_error_html,
    sitemap_page,
)
from ggzy.publishing.permissions import ColumnItem

# Pages published as files: the home, columns and column items (articles, notices).
PORTAL_TYPES = (HomePage, ColumnPage, ColumnItem)
ASSET_URL = re.compile(r'(?:href|src)="(/(?:static|media|documents)/[^"?#]+)"')
FRONT = 0  # list page number of a column's front page (and of every other page's one file)
SITEMAP_INDEX = "sitemap.xml"


def default_site() -> Site:
    return Site.objects.select_related("root_page").get(is_default_site=True)


def page_url(page: Page, site: Site) -> str | None:
    return page.relative_url(site)


def page_file(url: str, number: int = FRONT) -> str:
    """``/jyxx/zbgg/`` → ``jyxx/zbgg/index.html``; archive page k of a column →
    ``jyxx/zbgg/page/k/index.html`` (what the static pagination links point to)."""
    base = unquote(url).strip("/")  # nginx looks files up by the decoded (UTF-8) path
    parts = [base] if base else []
    if number:
        parts += ["page", str(number)]
    return "/".join([*parts, "index.html"])


def feed_file(url: str) -> str:
    """A column's RSS feed: ``jyxx/zbgg/rss.xml``."""
    return unquote(url).strip("/") + "/rss.xml"


def sitemap_file(number: int) -> str:
    """0 → the index ``sitemap.xml``; k → chunk ``sitemap-k.xml``."""
    return SITEMAP_INDEX if number == 0 else chunk_url(number).lstrip("/")


def archive_pages(page: Page) -> int:
    """How many archive pages a column has (0 for other pages)."""
    if not isinstance(page, ColumnPage):
        return 0
    return archive_count(column_items(column=page).count(), settings.GGZY_PAGE_SIZE)


def page_outputs(page: Page, site: Site, archives: int | None = None) -> list[tuple[str, int]]:
    """(relative file, list page number) for every HTML file a live page publishes."""
    url = page_url(page, site)
    if url is None:
        return []
    archives = archive_pages(page) if archives is None else archives
    return [(page_file(url, n), n) for n in range(archives + 1)]


def _request(site: Site, url: str, params: dict | None = None):
    factory = RequestFactory(SERVER_NAME=site.hostname, SERVER_PORT=str(site.port))
    request = factory.get(url, params or {})
    request._wagtail_site = site
    # An internal render, not a client's request: the host is the Site's (设置 › 网站标识),
    # which need not be in ALLOWED_HOSTS on this machine (that guards against forged
    # Host headers from clients; the feeds and sitemap build absolute URLs from it).
    host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
    request.get_host = lambda: host
    request.user = AnonymousUser()
    return request


def _content(response, what: str) -> bytes:
    if hasattr(response, "render"):
        response.render()
    if response.status_code != 200:
        raise RuntimeError(f"{what} rendered with status {response.status_code}")
    return response.content


def render_page(
    page: Page, *, number: int = FRONT, site: Site | None = None, list_page: ListPage | None = None
) -> bytes:
    """The page as the dynamic site serves it to an anonymous visitor, with
    ``static_build`` set so that list pagination links to the static files.
    ``list_page``: the column's list page, already read by the build."""
    site = site or default_site()
    url = page_url(page, site)
    request = _request(site, url, {"page": str(number)} if number else {})
    if list_page is not None:
        request.ggzy_list_page = list_page
    with translation.override(settings.LANGUAGE_CODE):
        response = page.specific.serve(request)
        if getattr(response, "context_data", None) is not None:
            response.context_data["static_build"] = True
        return _content(response, url)


def render_feed(column: ColumnPage, *, site: Site) -> bytes:
    """The column's RSS feed, as the dynamic site serves ``<column>/rss.xml``."""
    url = page_url(column, site) + "rss.xml"
    with translation.override(settings.LANGUAGE_CODE):
        return _content(ColumnFeed()(_request(site, url), column=column), url)


def project_file(code: str) -> str:
    """The project view of a project code: ``xm/<code>/index.html``."""
    return page_file(project_url(code))


def render_project(code: str, *, site: Site, notices: list | None = None) -> tuple[bytes, int] | None:
    """The project view (every published notice of the code; ``notices`` when the
    caller read them in a batch) and its anchor, the lowest id among them (its manifest
    source: a restore finds the code through it); None when no notice of the code is
    published."""
    if notices is None:
        notices = project_notices(code)
    if not notices:
        return None
    url = project_url(code)
    with translation.override(settings.LANGUAGE_CODE):
        response = project_response(_request(site, url), code, notices)
        response.context_data["static_build"] = True
        return _content(response, url), min(n.pk for n in notices)


def render_sitemap(number: int, *, site: Site) -> bytes:
    """``sitemap.xml`` (0) or chunk ``sitemap-k.xml``, as the dynamic site serves them."""
    url = "/" + sitemap_file(number)
    request = _request(site, url)
    with translation.override(settings.LANGUAGE_CODE):
        response = sitemap_index(request) if number == 0 else sitemap_chunk(request, number)
        return _content(response, url)


# Pages outside the page tree, by number (manifest source ``special:<n>``): 网站地图,
# 无障碍说明, and the error pages nginx answers with (deploy/nginx-locations.conf).
SPECIAL_FILES = ("wzdt/index.html", "wza/index.html", "404.html", "50x.html")


def render_special(number: int, *, site: Site) -> bytes:
    """Special page ``number`` (SPECIAL_FILES), as the dynamic site serves it."""
    url = {0: SITEMAP_PAGE_URL, 1: ACCESSIBILITY_PAGE_URL}.get(number, "/")
    request = _request(site, url)
    with translation.override(settings.LANGUAGE_CODE):
        if number == 0:
            return _content(sitemap_page(request), url)
        if number == 1:
            return _content(accessibility_page(request), url)
        html = not_found_html(request) if number == 2 else server_error_html(request)
        return html.encode("utf-8")


def asset_urls(html: bytes) -> set[str]:
    return set(ASSET_URL.findall(html.decode("utf-8", "replace")))


def asset_source(url: str) -> Path | None:
    """The file behind a /static/, /media/ or /documents/<id>/<name> URL, or None."""
    if url.startswith(settings.STATIC_URL):
        name = unquote(url[len(settings.STATIC_URL) :])
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
        found = finders.find(name)
        return Path(found) if found else None
    if url.startswith(settings.MEDIA_URL):
        name = unquote(url[len(settings.MEDIA_URL) :])
        return Path(default_storage.path(name)) if default_storage.exists(name) else None
    match = re.fullmatch(r"/documents/(\d+)/[^/]+", url)
    if match:
        document = get_document_model().objects.filter(pk=int(match.group(1))).first()
        if document is not None and document.file and default_storage.exists(document.file.name):
            return Path(document.file.path)
    return None


def asset_file(url: str) -> str | None:
    """The relative file an asset URL is published as (same URL, leading slash dropped)."""
    relative = unquote(url).lstrip("/")
    if ".." in relative.split("/"):
        return None
    return relative
