"""The 审查结果 page of an article: every finding of its latest revision, and
for 信息发布管理小组 members a form to let a warning through with a reason
(网站政务信息发布的管理规定 二(二)(四))."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Page

from ggzy.accounts.choices import RoleKey

from .models import FindingAcknowledgement
from .selectors import page_findings_latest
from .services import finding_acknowledge


def _key(finding) -> str:
    return f"{finding.rule}|{finding.source}|{finding.offset}"


class PageFindingsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "screening/page_findings.html"
    page_title = gettext_lazy("发布前审查")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific
        self.can_acknowledge = request.user.is_authenticated and request.user.has_role(RoleKey.REVIEW_GROUP)
        can_edit = self.page.permissions_for_user(request.user).can_edit()
        if not (can_edit or self.can_acknowledge):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def rows(self):
        revision = self.page.get_latest_revision()
        acknowledged = (
            {
                (a.rule, a.source, a.offset): a
                for a in FindingAcknowledgement.objects.filter(revision=revision).select_related(
                    "acknowledged_by"
                )
            }
            if revision
            else {}
        )
        return [
            {"finding": f, "key": _key(f), "acknowledgement": acknowledged.get((f.rule, f.source, f.offset))}
            for f in page_findings_latest(self.page)
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(page=self.page, rows=self.rows(), can_acknowledge=self.can_acknowledge)
        return context

    def post(self, request, *args, **kwargs):
        if not self.can_acknowledge:
            raise PermissionDenied
        key = request.POST.get("finding", "")
        finding = next((row["finding"] for row in self.rows() if row["key"] == key), None)
        if finding is None:
            messages.error(request, _("该问题已不存在，请刷新后重试。"))
        else:
            try:
                finding_acknowledge(
                    page=self.page, finding=finding, reason=request.POST.get("reason", ""), actor=request.user
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("已确认该警告。"))
        return redirect(reverse("screening_page_findings", args=[self.page.pk]))
