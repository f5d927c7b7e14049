"""Media used by a live page cannot be swapped or deleted behind its approval chain.

网站管理制度 第十一条: what the public sees changes only through the chain. An
image or document file replaced in the media library would change a live page
without review, so replacing the file of (or deleting) an image or document
that a live page uses is refused; upload a new one and change the page through
its chain instead.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from wagtail.admin.auth import permission_denied
from wagtail.models import Page

from ggzy.audit import services as audit
from ggzy.audit.choices import Outcome

from .files import LiveMediaInUse


class LiveMediaGuardMiddleware:
    """The rule itself is on the models (files.connect_live_media_guard, issue 14
    item 3): whatever admin view meets it, the editor sees the reason in
    Chinese — as the message of the page they were on, or as the JSON error of
    the multiple-upload screens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, LiveMediaInUse):
            return None
        # The attempt is refused and its transaction rolled back; the refusal is
        # recorded on its own (the audit sweep saw it leave no trace).
        audit.record(
            action="publishing.live_media.refused",
            outcome=Outcome.FAILURE,
            obj=exception.obj,
            request=request,
            pages=[page.title for page in exception.pages],
            path=request.path[:200],
        )
        match = request.resolver_match
        wants_json = (
            (match is not None and "multiple" in match.view_name)
            or request.headers.get("x-requested-with") == "XMLHttpRequest"
            or "json" in request.headers.get("accept", "")
        )
        if wants_json:
            return JsonResponse({"success": False, "error_message": exception.message}, status=403)
        messages.error(request, exception.message)
        return redirect(request.path)


# --------------------------------------------------------------------------- page reach

# Issue 14 item 1: every page-admin URL that names a page (Wagtail's page views,
# the explorer, the admin API's page endpoints, and any a later Wagtail adds under
# these names) first checks the page is within the user's reach — in their lane
# (explorable) or at a step they review. What they may then do is the page
# permission tester's answer.
PAGE_ADMIN_PREFIXES = ("wagtailadmin_pages:", "wagtailadmin_explore", "wagtailadmin_api:pages:")
PAGE_ID_ARGS = ("page_id", "page_to_move_id", "parent_page_id", "pk")


class PageReachMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not match.view_name.startswith(PAGE_ADMIN_PREFIXES):
            return None
        if not request.user.is_authenticated:
            return None  # the admin's own login redirect answers
        from .permissions import page_within_reach

        for arg in PAGE_ID_ARGS:
            if arg in view_kwargs:
                page = Page.objects.filter(pk=view_kwargs[arg]).first()
                if page is not None and not page_within_reach(page, request.user):
                    if match.view_name.startswith("wagtailadmin_api:"):
                        raise PermissionDenied
                    # Wagtail's own refusal (the dashboard, with its message): what a reviewer
                    # sees when Wagtail sends them on to a column they cannot explore after
                    # acting on their step, as Wagtail's views answer it themselves.
                    return permission_denied(request)
        return None
