from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from ggzy.core.permissions import role_has_perm

from .choices import LexiconCategory, Severity
from .models import LexiconEntry
from .services import lexicon_import


class LexiconImportForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=LexiconCategory.choices)
    severity = forms.ChoiceField(label=_("处理"), choices=Severity.choices, initial=Severity.BLOCK)
    file = forms.FileField(
        label=_("词表文件"),
        help_text=_(
            "纯文本 .txt（UTF-8，每行一个词，# 开头的行为注释）或 Excel .xlsx（第一个工作表的第一列）。"
        ),
    )
    dry_run = forms.BooleanField(label=_("仅检查，不导入"), required=False)


def lexicon_import_view(request):
    """违禁词库 → 导入词表: the center's own lists, all or nothing (网站管理制度 第十四条)."""
    if not role_has_perm(request.user, "screening.add_lexiconentry"):
        raise PermissionDenied
    form = LexiconImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = lexicon_import(
                category=form.cleaned_data["category"],
                severity=form.cleaned_data["severity"],
                name=upload.name,
                data=upload.read(),
                actor=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            if not result.dry_run:
                messages.success(
                    request,
                    gettext("已导入 %(created)d 个词，%(existing)d 个已存在。")
                    % {"created": len(result.created), "existing": len(result.existing)},
                )
                return redirect("screening_lexicon:index")
    return TemplateResponse(request, "screening/lexicon_import.html", {"form": form, "result": result})


class LexiconIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if role_has_perm(self.request.user, "screening.add_lexiconentry"):
            buttons.append(
                HeaderButton(_("导入词表"), url=reverse("screening_lexicon:import"), icon_name="upload")
            )
        return buttons


class LexiconEntryViewSet(ModelViewSet):
    """违禁词库: the 网站管理员 maintains the prohibited terms (网站管理制度 第十四条、
    第十八条: the website administrator keeps harmful information off the site)."""

    model = LexiconEntry
    icon = "warning"
    menu_label = _("违禁词库")
    menu_name = "screening_lexicon"
    add_to_settings_menu = True
    url_prefix = "screening/lexicon"
    form_fields = ["category", "term", "severity", "active", "note"]
    list_display = ["term", "category", "severity", "active", "updated_at"]
    list_filter = ["category", "severity", "active"]
    search_fields = ["term", "note"]
    ordering = ["category", "term"]
    copy_view_enabled = False
    index_view_class = LexiconIndexView

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("import/", lexicon_import_view, name="import")]


lexicon_entry_viewset = LexiconEntryViewSet("screening_lexicon")
