"""Public URLs outside the page tree: column feeds and the sitemap (the static
build writes the same URLs as files)."""

from django.urls import path, re_path

from .feeds import column_feed
from .sitemaps import sitemap_chunk, sitemap_index

urlpatterns = [
    path("sitemap.xml", sitemap_index, name="portal_sitemap"),
    path("sitemap-<int:number>.xml", sitemap_chunk, name="portal_sitemap_chunk"),
    re_path(r"^(?P<path>(?:[\w\-]+/)+)rss\.xml$", column_feed, name="portal_column_feed"),
]
