from urllib.parse import quote

from django import template
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from wagtail.models import Page, Site

from ggzy.portal.home_blocks import list_details
from ggzy.portal.models import HomePage
from ggzy.portal.selectors import breadcrumb_ancestors, cached_while_rendering, column_of, menu_columns

register = template.Library()

# The navigation and the breadcrumb trail are the same on thousands of pages of
# a static build: rendered once per render cache (issue 8, build throughput);
# a request to the dynamic site renders them each time, to the same bytes.


def _rendered(key: tuple, template_name: str, context: dict):
    def render():
        return mark_safe(render_to_string(template_name, context))  # noqa: S308 (our template's output)

    return cached_while_rendering(key, render) or render()


def _parent_url(page) -> tuple[str, str] | None:
    parent = column_of(page)
    url = parent.url if parent is not None else None
    return (url, parent.url_path) if url and url.endswith("/") and parent.url_path.endswith("/") else None


@register.filter
def listed_url(page) -> str:
    """``page.url`` of an item in a list. Inside a render cache it is its
    column's URL plus its own path below the column, quoted as Django's
    ``reverse`` quotes it: Wagtail's URL routing once per column, not once per
    listed item (a static build lists every item on its archive pages)."""
    base = cached_while_rendering(("parent_url", page.path[: -Page.steplen]), lambda: (_parent_url(page),))
    if base is None or base[0] is None or not page.url_path.startswith(base[0][1]):
        return page.url
    url, url_path = base[0]
    return url + quote(page.url_path[len(url_path) :], safe=RFC3986_SUBDELIMS + "/~:@")


@register.simple_tag(takes_context=True)
def main_nav(context):
    """The top-level columns of the site serving this request."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    columns = []
    home = None
    if site is not None:
        home = site.root_page
        columns = menu_columns(home=home)
    current = context.get("page")
    current_path = current.path if current is not None else ""
    nav = {
        "home": home,
        "columns": [(c, url, current_path.startswith(c.path)) for c, url in columns],
        "at_home": isinstance(current, HomePage),
    }
    active = tuple(c.pk for c, _url, is_active in nav["columns"] if is_active)
    key = ("main_nav", home.pk if home else None, active, nav["at_home"])
    return _rendered(key, "portal/includes/main_nav.html", nav)


@register.inclusion_tag("portal/includes/breadcrumbs.html")
def breadcrumbs(page):
    ancestors = breadcrumb_ancestors(page)
    key = ("breadcrumb_trail", page.path[: -Page.steplen])
    trail = _rendered(key, "portal/includes/breadcrumb_trail.html", {"ancestors": ancestors})
    return {"trail": trail, "page": page}


@register.simple_tag(takes_context=True)
def column_page_url(context, number):
    """Link to list page ``number`` of a column (0 = the front page, k = archive
    page k, numbered from the oldest; portal.selectors.ListPage): ``?page=k`` on
    the dynamic site, keeping the listing's filters; the static file's URL
    (``<column>/`` or ``<column>/page/k/``) when sitebuild renders the page."""
    number = int(number)
    if not context.get("static_build"):
        request = context.get("request")
        query = request.GET.copy() if request is not None else QueryDict(mutable=True)
        query.pop("page", None)
        if number:
            query["page"] = str(number)
        if query:
            return "?" + query.urlencode()
        return context["page"].get_url(request=request)
    url = context["page"].get_url(request=context.get("request"))
    return f"{url}page/{number}/" if number else url


@register.simple_tag
def list_rows(articles):
    """(item, detail) of a list: what the apps above add (项目编号, deadline; see
    portal.home_blocks.LIST_DETAILS_HOOK), None for the other items."""
    articles = list(articles)
    details = list_details(items=articles) if articles else {}
    return [(a, details.get(a.pk)) for a in articles]


@register.simple_tag
def safe_identity():
    """The site identity for the 500 page, which Django renders without a request or
    context processors and perhaps without a database: the settings' defaults then."""
    from ggzy.portal.selectors import identity_defaults, site_identity

    try:
        return site_identity()
    except Exception:
        return identity_defaults()
