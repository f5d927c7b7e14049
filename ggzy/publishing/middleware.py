"""Media used by a live page cannot be swapped or deleted behind its approval chain.

网站管理制度 第十一条: what the public sees changes only through the chain. An
image or document file replaced in the media library would change a live page
without review, so replacing the file of (or deleting) an image or document
that a live page uses is refused; upload a new one and change the page through
its chain instead.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.models import Page, ReferenceIndex

GUARDED_VIEWS = {
    "wagtailimages:edit": ("wagtailimages", "image", True),
    "wagtailimages:delete": ("wagtailimages", "image", False),
    "wagtaildocs:edit": ("wagtaildocs", "document", True),
    "wagtaildocs:delete": ("wagtaildocs", "document", False),
}


def live_pages_using(obj):
    page_ids = [
        int(ref.object_id)
        for ref in ReferenceIndex.get_references_to(obj)
        if issubclass(ref.base_content_type.model_class() or object, Page)
    ]
    return Page.objects.filter(pk__in=page_ids, live=True)


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
