"""Public pages outside the page tree: 网站地图 (/wzdt/) and 无障碍说明 (/wza/), and the
friendly error pages; the static build writes the same pages as files."""

from django.shortcuts import render
from django.template.loader import render_to_string
from wagtail.models import Site

from .selectors import sitemap_columns

SITEMAP_PAGE_URL = "/wzdt/"
ACCESSIBILITY_PAGE_URL = "/wza/"


def sitemap_page(request):
    """网站地图: every live column of the site, nested as in the menu."""
    site = Site.find_for_request(request)
    home = site.root_page if site is not None else None
    return render(request, "portal/sitemap_page.html", {"home": home, "tree": sitemap_columns(home=home)})


def accessibility_page(request):
    """无障碍说明: how to use the toolbar and the keyboard on this site."""
    return render(request, "portal/accessibility_page.html", {})


def not_found_html(request) -> str:
    return render_to_string("404.html", {}, request=request)


def server_error_html(request) -> str:
    return render_to_string("500.html", {}, request=request)
