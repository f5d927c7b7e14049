"""Public pages of the notices app outside the page tree: the project view."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.models import Site

from .selectors import project_notices


def project_view(request, code: str):
    """Every published notice of one project code, in the project's order
    (招标公告 → 变更 → 候选人公示 → 结果). The static build writes the same page."""
    notices = project_notices(code)
    if not notices:
        raise Http404(_("没有这个项目的公告。"))
    return project_response(request, code, notices)


def project_response(request, code: str, notices: list) -> TemplateResponse:
    site = Site.find_for_request(request)
    return TemplateResponse(
        request,
        "notices/project_page.html",
        {
            "code": code,
            "notices": notices,
            "project_name": notices[-1].project_name,
            "home": site.root_page if site else None,
            "page": None,
        },
    )
