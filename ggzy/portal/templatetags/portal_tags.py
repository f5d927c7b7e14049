from django import template
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail.models import Page, Site

from ggzy.portal.models import HomePage
from ggzy.portal.selectors import breadcrumb_ancestors, cached_while_rendering, menu_columns

register = template.Library()

# The navigation and the breadcrumb trail are the same on thousands of pages of
# a static build: rendered once per render cache (issue 8, build throughput);
# a request to the dynamic site renders them each time, to the same bytes.


def _rendered(key: tuple, template_name: str, context: dict):
    def render():
        return mark_safe(render_to_string(template_name, context))  # noqa: S308 (our template's output)

    return cached_while_rendering(key, render) or render()


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
