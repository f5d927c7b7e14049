"""RSS 2.0 feed of a column (``<column>/rss.xml``): its newest items, with
absolute URLs from the Wagtail Site. The dynamic site serves it at the same URL
as the static file (ggzy.sitebuild renders it with the same code)."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import Site

from .models import ColumnPage
from .selectors import NEWEST_FIRST, published_items, site_identity

FEED_ITEMS = 50
DESCRIPTION_CHARS = 200


class StableRssFeed(Rss201rev2Feed):
    """lastBuildDate is the newest item's date; for an empty column the column's
    own publication date, never "now", so that an unchanged feed keeps its bytes
    (static publishing writes only files whose bytes change)."""

    def latest_post_date(self):
        if self.items:
            return super().latest_post_date()
        return self.feed["empty_date"]


class ColumnFeed(Feed):
    feed_type = StableRssFeed
    language = "zh-cn"

    def get_object(self, request, column: ColumnPage):
        return column

    def title(self, column):
        return f"{column.title} - {site_identity().site_name}"

    def link(self, column):
        return column.full_url

    def feed_url(self, column):
        return column.full_url + "rss.xml"

    def description(self, column):
        return column.intro or _("%(site)s“%(column)s”栏目最新信息") % {
            "site": site_identity().site_name,
            "column": column.title,
        }

    def feed_extra_kwargs(self, column):
        return {"empty_date": column.first_published_at}

    def items(self, column):
        # The column's listing (column_items), newest first; specific() in one query per kind.
        return published_items().descendant_of(column).order_by(*NEWEST_FIRST).specific()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.full_url

    def item_guid(self, item):
        return item.full_url

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.first_published_at

    def item_description(self, item):
        text = item.search_description or strip_tags(str(getattr(item, "body", "") or ""))
        return Truncator(" ".join(text.split())).chars(DESCRIPTION_CHARS)


def find_column(request, path: str) -> ColumnPage:
    """The live public column at ``path`` (below the site root) of this request's site."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404(_("没有这个栏目。"))
    url_path = site.root_page.url_path + path
    column = ColumnPage.objects.live().public().filter(url_path=url_path).first()
    if column is None:
        raise Http404(_("没有这个栏目。"))
    return column


def column_feed(request, path: str):
    """GET ``/<column path>/rss.xml``."""
    return ColumnFeed()(request, column=find_column(request, path))
