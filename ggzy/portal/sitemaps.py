"""``sitemap.xml``: a sitemap index and chunk files ``sitemap-<k>.xml`` of at
most ``SITEMAP_LIMIT`` URLs (the protocol allows 50,000; smaller chunks keep the
one a publish rewrites cheap).

Chunks are stable: pages are in the order (first_published_at, id), the order
every list uses, so a new page lands in the last chunk and one publish rewrites
only that chunk (and the index only when a chunk is added). The index carries no
lastmod for the same reason. The XML is written directly (a chunk is thousands
of rows: a template per row would dominate the publish-to-live time); the
dynamic views and the static build use the same functions."""

import math
from urllib.parse import urlsplit

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.models import Site

from .selectors import (
    NEWEST_FIRST,
    OLDEST_FIRST,
    listing_ordinal,
    listing_pages,
    newest_first_slice,
    subtree_q,
)

SITEMAP_LIMIT = 2_000
XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_pages(site: Site):
    """Every live public page of the site (home, columns, items), oldest first."""
    return listing_pages().filter(subtree_q(site.root_page.path, inclusive=True)).order_by(*OLDEST_FIRST)


def sitemap_chunk_count(site: Site) -> int:
    return _chunks(sitemap_pages(site).count())


def _chunks(total: int) -> int:
    return max(1, math.ceil(total / SITEMAP_LIMIT))


def sitemap_ordinal(*, site: Site, first_published_at, pk: int) -> int:
    """How many sitemap pages come before the key (first_published_at, pk)."""
    return listing_ordinal(sitemap_pages(site), first_published_at=first_published_at, pk=pk)


def chunk_url(number: int) -> str:
    return f"/sitemap-{number}.xml"


def sitemap_index_xml(site: Site) -> bytes:
    root = escape(site.root_url)
    entries = "".join(
        f"<sitemap><loc>{root}{chunk_url(k)}</loc></sitemap>\n"
        for k in range(1, sitemap_chunk_count(site) + 1)
    )
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{XMLNS}">\n'
    return f"{head}{entries}</sitemapindex>\n".encode()


def sitemap_chunk_xml(site: Site, number: int) -> bytes | None:
    """Chunk ``number`` (from 1): URL and day of last publication of each page; None if out of range."""
    pages = sitemap_pages(site)
    total = pages.count()
    if not 1 <= number <= _chunks(total):
        return None
    root = urlsplit(site.root_url)
    prefix = escape(f"{root.scheme}://{root.netloc}")
    skip = len(site.root_page.url_path)
    # Chunk k is [start, end) oldest first, read newest first (the new chunk a
    # publish rewrites is the newest end of the site).
    rows = pages.order_by(*NEWEST_FIRST).values_list("url_path", "last_published_at")
    start = (number - 1) * SITEMAP_LIMIT
    end = min(start + SITEMAP_LIMIT, total)
    parts = []
    for url_path, published in newest_first_slice(rows, total - end, total - start, total=total)[::-1]:
        lastmod = (
            f"<lastmod>{timezone.localtime(published).date().isoformat()}</lastmod>" if published else ""
        )
        parts.append(f"<url><loc>{prefix}{escape(iri_to_uri('/' + url_path[skip:]))}</loc>{lastmod}</url>\n")
    body = "".join(parts)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{XMLNS}">\n{body}</urlset>\n'.encode()


def _site(request) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404(_("没有这个站点。"))
    return site


def sitemap_index(request):
    """GET ``/sitemap.xml``: the index of the chunk files."""
    return HttpResponse(sitemap_index_xml(_site(request)), content_type="application/xml")


def sitemap_chunk(request, number: int):
    """GET ``/sitemap-<k>.xml``: chunk k (k from 1)."""
    data = sitemap_chunk_xml(_site(request), number)
    if data is None:
        raise Http404(_("没有这一页。"))
    return HttpResponse(data, content_type="application/xml")
