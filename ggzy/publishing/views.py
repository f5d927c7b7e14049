from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.models import Page

from ggzy.audit import services as audit
from ggzy.core.pdf import html_to_pdf
from ggzy.core.permissions import role_has_perm

from .forms import TakedownForm
from .models import PublicationRecord
from .rules import TAKEDOWN_ROLES, user_role_keys
from .services import page_takedown


def takedown(request, page_id: int):
    """Emergency takedown with a reason (网站管理制度 第十八条)."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not (user_role_keys(request.user) & TAKEDOWN_ROLES):
        raise PermissionDenied
    form = TakedownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            page_takedown(page=page, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("“%(title)s”已撤下。") % {"title": page.title})
            return redirect("wagtailadmin_explore", page.get_parent().pk)
    return TemplateResponse(request, "publishing/takedown.html", {"page": page, "form": form})


def record_pdf(request, pk: int):
    """The 信息发布审批表 of one publication, as a PDF with an embedded Chinese font."""
    if not role_has_perm(request.user, "publishing.view_publicationrecord"):
        raise PermissionDenied
    record = get_object_or_404(PublicationRecord.objects.select_related("department", "publisher"), pk=pk)
    html = render_to_string("publishing/approval_form.html", {"record": record})
    audit.record(action="publishing.approval_form.exported", obj=record, request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="approval-{record.pk}.pdf"'
    return response


# --------------------------------------------------------------------------- /media/

# Issue 14 item 2: of everything under MEDIA_ROOT only image renditions are
# served (what pages show), and only as a document is: public while a live page
# uses the image, otherwise to staff through the permission check. Originals,
# documents (served by /documents/), workbooks, evidence, the publication
# archive: 404.
RENDITIONS_PREFIX = "images/"


def media(request, path: str):
    from django.views.static import serve
    from wagtail.images import get_image_model

    from .files import may_fetch_file

    if not path.startswith(RENDITIONS_PREFIX) or "/" in path[len(RENDITIONS_PREFIX) :]:
        raise Http404
    rendition = (
        get_image_model().get_rendition_model().objects.filter(file=path).select_related("image").first()
    )
    if rendition is None or not may_fetch_file(request.user, rendition.image):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
