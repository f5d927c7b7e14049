"""从 Word 导入: an article's body from a .docx, as a new draft revision
(信息发布管理制度 一(九): text materials come as Word documents). Offered on
the pages that carry screening's ``ScreenedArticle`` marker."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Page

from ggzy.screening.pages import is_screened_article

from .services import article_fill_from_docx


class DocxImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Word 文档（.docx）"))


class ArticleImportDocxView(WagtailAdminTemplateMixin, FormView):
    """从 Word 导入: fill an article's body from a .docx as a new draft revision
    (信息发布管理制度 一(九): text materials come as Word documents)."""

    template_name = "ingest/import_docx.html"
    form_class = DocxImportForm
    page_title = gettext_lazy("从 Word 导入正文")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific
        if (
            not is_screened_article(type(self.page))
            or not self.page.permissions_for_user(request.user).can_edit()
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_context_data(self, **kwargs):
        return super().get_context_data(page=self.page, **kwargs)

    def form_valid(self, form):

        try:
            result = article_fill_from_docx(
                page=self.page, upload=form.cleaned_data["file"], actor=self.request.user
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
            return self.form_invalid(form)
        for message in result.conversion.messages:
            messages.warning(self.request, message)
        for finding in result.check.warnings:
            messages.warning(self.request, f"【{_('警告')}】{finding.rule}：{finding.excerpt}")
        messages.success(self.request, _("已从 Word 文档导入正文，保存为草稿。"))
        return redirect(reverse("wagtailadmin_pages:edit", args=[self.page.pk]))
