"""``sitemap.xml``: a sitemap index and chunk files ``sitemap-<k>.xml`` of at
most ``SITEMAP_LIMIT`` URLs (the protocol's 50,000), with django.contrib.sitemaps.

Chunks are stable: pages are in the order (first_published_at, id), the order
every list uses, so a new page lands in the last chunk and one publish rewrites
only that chunk (and the index only when a chunk is added). The index carries no
lastmod for the same reason."""

import math
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.encoding import iri_to_uri
from wagtail.models import Page, Site

from .selectors import OLDEST_FIRST, older_than

SITEMAP_LIMIT = 50_000


def sitemap_pages(site: Site):
    """Every live public page of the site (home, columns, items), oldest first."""
    return Page.objects.live().public().descendant_of(site.root_page, inclusive=True).order_by(*OLDEST_FIRST)


class PortalSitemap(Sitemap):
    limit = SITEMAP_LIMIT

    def __init__(self, site: Site):
        self.site = site
        self.root_url_path = site.root_page.url_path

    def items(self):
        # Plain rows (URL path, last publication), not pages: a chunk is 50,000 of them.
        return sitemap_pages(self.site).values("url_path", "last_published_at")

    def location(self, item):
        return iri_to_uri("/" + item["url_path"][len(self.root_url_path) :])

    def lastmod(self, item):
        return item["last_published_at"]

    def get_urls(self, page=1, site=None, protocol=None):
        root = urlsplit(self.site.root_url)
        return self._urls(page, root.scheme, root.netloc)


def sitemap_chunk_count(site: Site) -> int:
    return max(1, math.ceil(sitemap_pages(site).count() / PortalSitemap.limit))


def sitemap_ordinal(*, site: Site, first_published_at, pk: int) -> int:
    """How many sitemap pages come before the key (first_published_at, pk)."""
    return sitemap_pages(site).filter(older_than(first_published_at, pk)).count()


def chunk_url(number: int) -> str:
    return f"/sitemap-{number}.xml"


def _site(request) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("没有这个站点。")
    return site


def sitemap_index(request):
    """GET ``/sitemap.xml``: the index of the chunk files."""
    site = _site(request)
    root = site.root_url
    chunks = [SitemapIndexItem(root + chunk_url(k)) for k in range(1, sitemap_chunk_count(site) + 1)]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": chunks}, content_type="application/xml"
    )


def sitemap_chunk(request, number: int):
    """GET ``/sitemap-<k>.xml``: chunk k (k from 1)."""
    site = _site(request)
    if not 1 <= number <= sitemap_chunk_count(site):
        raise Http404("没有这一页。")
    urls = PortalSitemap(site).get_urls(page=number)
    return TemplateResponse(request, "sitemap.xml", {"urlset": urls}, content_type="application/xml")
