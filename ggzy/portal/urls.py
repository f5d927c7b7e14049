"""Public URLs outside the page tree: column feeds, the sitemap, 网站地图 and 无障碍说明
(the static build writes the same URLs as files)."""

from django.urls import path, re_path

from .feeds import column_feed
from .sitemaps import sitemap_chunk, sitemap_index
from .views import accessibility_page, sitemap_page

urlpatterns = [
    path("sitemap.xml", sitemap_index, name="portal_sitemap"),
    path("sitemap-<int:number>.xml", sitemap_chunk, name="portal_sitemap_chunk"),
    path("wzdt/", sitemap_page, name="portal_sitemap_page"),
    path("wza/", accessibility_page, name="portal_accessibility_page"),
    re_path(r"^(?P<path>(?:[\w\-]+/)+)rss\.xml$", column_feed, name="portal_column_feed"),
]
