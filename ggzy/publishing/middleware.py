"""Media used by a live page cannot be swapped or deleted behind its approval chain.

网站管理制度 第十一条: what the public sees changes only through the chain. An
image or document file replaced in the media library would change a live page
without review, so replacing the file of (or deleting) an image or document
that a live page uses is refused; upload a new one and change the page through
its chain instead.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.models import Page

from .files import live_pages_using

GUARDED_VIEWS = {
    "wagtailimages:edit": ("wagtailimages", "image", True),
    "wagtailimages:delete": ("wagtailimages", "image", False),
    "wagtaildocs:edit": ("wagtaildocs", "document", True),
    "wagtaildocs:delete": ("wagtaildocs", "document", False),
}


class LiveMediaGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match is None:
            return None
        guarded = GUARDED_VIEWS.get(request.resolver_match.view_name)
        if guarded is None:
            return None
        app_label, model_name, file_only = guarded
        if file_only and not request.FILES.get("file"):
            return None  # title/tags/focal point: no change to what pages show
        from django.apps import apps

        model = apps.get_model(app_label, model_name)
        obj = model.objects.filter(pk=view_kwargs.get(f"{model_name}_id") or view_kwargs.get("pk")).first()
        if obj is None:
            return None
        pages = list(live_pages_using(obj)[:3])
        if not pages:
            return None
        messages.error(
            request,
            _(
                "“%(name)s”正被已发布的页面使用（%(pages)s），不能直接替换或删除；请上传新文件，并通过该页面的审批流程更换。"
            )
            % {"name": obj.title, "pages": "、".join(p.title for p in pages)},
        )
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
                    raise PermissionDenied
        return None
