"""Render portal pages to bytes with the same templates as the dynamic site,
and map them (and the assets they use) to files under the publish root."""

import math
import re
from collections.abc import Iterator
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

from ggzy.portal.models import ArticlePage, ColumnPage, HomePage
from ggzy.portal.selectors import column_articles

PORTAL_TYPES = (HomePage, ColumnPage, ArticlePage)
ASSET_URL = re.compile(r'(?:href|src)="(/(?:static|media|documents)/[^"?#]+)"')


def default_site() -> Site:
    return Site.objects.select_related("root_page").get(is_default_site=True)


def page_url(page: Page, site: Site) -> str | None:
    return page.relative_url(site)


def page_file(url: str, number: int = 1) -> str:
    """``/jyxx/zbgg/`` → ``jyxx/zbgg/index.html``; list page N > 1 →
    ``jyxx/zbgg/page/N/index.html`` (what the static pagination links point to)."""
    base = unquote(url).strip("/")  # nginx looks files up by the decoded (UTF-8) path
    parts = [base] if base else []
    if number > 1:
        parts += ["page", str(number)]
    return "/".join([*parts, "index.html"])


def list_page_count(page: Page) -> int:
    if not isinstance(page, ColumnPage):
        return 1
    count = column_articles(column=page).count()
    return max(1, math.ceil(count / settings.GGZY_PAGE_SIZE))


def page_outputs(page: Page, site: Site) -> list[tuple[str, int]]:
    """(relative file, list page number) for every file a live page publishes."""
    url = page_url(page, site)
    if url is None:
        return []
    return [(page_file(url, n), n) for n in range(1, list_page_count(page) + 1)]


def render_page(page: Page, *, number: int = 1, site: Site | None = None) -> bytes:
    """The page as the dynamic site serves it to an anonymous visitor, with
    ``static_build`` set so that list pagination links to the static files."""
    site = site or default_site()
    url = page_url(page, site)
    factory = RequestFactory(SERVER_NAME=site.hostname, SERVER_PORT=str(site.port))
    request = factory.get(url, {"page": str(number)} if number > 1 else {})
    request._wagtail_site = site
    request.user = AnonymousUser()
    with translation.override(settings.LANGUAGE_CODE):
        response = page.specific.serve(request)
        if getattr(response, "context_data", None) is not None:
            response.context_data["static_build"] = True
        if hasattr(response, "render"):
            response.render()
    if response.status_code != 200:
        raise RuntimeError(f"{url} rendered with status {response.status_code}")
    return response.content


def site_pages(site: Site) -> Iterator[Page]:
    """Every live public page of the site, streamed (home, columns, articles)."""
    home = site.root_page.specific
    if not home.live:
        return
    yield home
    for model in (ColumnPage, ArticlePage):
        queryset = model.objects.live().public().descendant_of(home).order_by("path")
        yield from queryset.iterator(chunk_size=500)


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
