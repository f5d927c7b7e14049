"""Admin for suspension notices (网站管理 → 暂停交易服务通知): list with status,
create (with upcoming holidays as one-click suggestions), edit, cancel.
Only the 网站管理员 holds the permissions by default (jiaozuo.toml)."""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from ggzy.core.menus import SiteManagementMenu, in_group
from ggzy.core.permissions import role_has_perm
from ggzy.core.viewsets import LimitedModelViewSet

from . import services
from .forms import SuspensionCancelForm, SuspensionNoticeForm
from .models import SuspensionNotice
from .selectors import calendar_gaps, holiday_suggestions, notices_with_calendar_warnings


def _calendar_warning(years) -> str:
    if not years:
        return ""
    return _(
        "%(years)s年的法定节假日安排尚未录入工作日历：涉及这些年份的通知按周一至周五计算并按保守规则提前显示。"
        "请在“工作日历”中录入后核对。"
    ) % {"years": "、".join(map(str, years))}


def _saved_messages(request, notice: SuspensionNotice) -> None:
    if notice.calendar_warning:
        messages.warning(request, notice.calendar_warning)
    if notice.urgent_reason:
        messages.warning(request, _("已按紧急情况安排，紧急原因已记入审计日志。"))


class SuspensionIndexView(generic.IndexView):
    template_name = "suspensions/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = set(calendar_gaps())
        for value in notices_with_calendar_warnings().values_list("unverified_years", flat=True):
            years.update(int(y) for y in value.split(","))
        context["calendar_warning"] = _calendar_warning(sorted(years))
        return context

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.editable and self.user_has_permission("change"):
            buttons.append(
                MenuItem(
                    _("取消通知"),
                    url=reverse("suspension_notices:cancel", args=[instance.pk]),
                    icon_name="cross",
                    priority=30,
                )
            )
        return buttons


class SuspensionCreateView(generic.CreateView):
    template_name = "suspensions/create.html"

    def get_initial(self):
        initial = super().get_initial()
        for name in ("reason_kind", "title", "body", "affected_services"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        for name in ("starts_at", "ends_at"):
            value = parse_datetime(self.request.GET.get(name, "").replace(" ", "T"))
            if value is not None:
                initial[name] = value
        initial.setdefault(
            "affected_services", _("全部交易服务（开标、评标、现场交易、保证金收退、CA 证书办理）")
        )
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        add_url = reverse("suspension_notices:add")
        suggestions = holiday_suggestions()
        context.update(
            suggestions=[(s, f"{add_url}?{urlencode(s.initial())}") for s in suggestions],
            calendar_warning=_calendar_warning(calendar_gaps()),
            working_days=settings.SUSPENSION_NOTICE_WORKING_DAYS,
        )
        return context

    def save_instance(self):
        data = {name: self.form.cleaned_data[name] for name in services.NOTICE_FIELDS}
        return services.suspension_schedule(**data, actor=self.request.user)

    def get_success_message(self, instance):
        _saved_messages(self.request, instance)
        return _("暂停交易服务通知“%(title)s”已安排，将于 %(date)s 起在首页显示。") % {
            "title": instance.title,
            "date": timezone.localtime(instance.display_from).strftime("%Y-%m-%d %H:%M"),
        }


class SuspensionEditView(generic.EditView):
    template_name = "suspensions/edit.html"

    def dispatch(self, request, *args, **kwargs):
        notice = get_object_or_404(SuspensionNotice, pk=kwargs["pk"])
        if not notice.editable and role_has_perm(request.user, "suspensions.change_suspensionnotice"):
            messages.error(request, _("已结束或已取消的通知不能修改。"))
            return redirect("suspension_notices:inspect", notice.pk)
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self):
        data = {name: self.form.cleaned_data[name] for name in services.NOTICE_FIELDS}
        return services.suspension_change(notice=self.object, data=data, actor=self.request.user)

    def get_success_message(self):
        _saved_messages(self.request, self.object)
        return _("暂停交易服务通知“%(title)s”已修改。") % {"title": self.object.title}


class SuspensionCancelView(WagtailAdminTemplateMixin, FormView):
    """Cancel with a reason; the notice leaves the home page at once."""

    template_name = "suspensions/cancel.html"
    form_class = SuspensionCancelForm
    page_title = gettext_lazy("取消暂停交易服务通知")
    header_icon = "cross"

    def dispatch(self, request, *args, **kwargs):
        if not role_has_perm(request.user, "suspensions.change_suspensionnotice"):
            raise PermissionDenied
        self.notice = get_object_or_404(SuspensionNotice, pk=kwargs["pk"])
        if not self.notice.editable:
            messages.error(request, _("该通知已结束或已取消。"))
            return redirect("suspension_notices:index")
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.notice.title

    def get_context_data(self, **kwargs):
        return super().get_context_data(notice=self.notice, **kwargs)

    def form_valid(self, form):
        try:
            services.suspension_cancel(
                notice=self.notice,
                reason=form.cleaned_data["reason"],
                actor=self.request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("通知“%(title)s”已取消，已从首页撤下。") % {"title": self.notice.title}
        )
        return redirect("suspension_notices:index")


def _local(field: str):
    def accessor(notice):
        value = getattr(notice, field)
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else ""

    return accessor


@in_group(SiteManagementMenu, order=100)
class SuspensionNoticeViewSet(LimitedModelViewSet):
    """暂停交易服务通知 (网络安全管理办法 二(十一)). Cancelled, never deleted."""

    model = SuspensionNotice
    index_view_class = SuspensionIndexView
    add_view_class = SuspensionCreateView
    edit_view_class = SuspensionEditView
    icon = "warning"
    menu_label = gettext_lazy("暂停交易服务通知")
    url_prefix = "suspensions"
    list_display = [
        "title",
        "reason_kind",
        Column("starts_at", label=gettext_lazy("暂停开始"), accessor=_local("starts_at")),
        Column("ends_at", label=gettext_lazy("恢复服务"), accessor=_local("ends_at")),
        Column("display_from", label=gettext_lazy("首页显示自"), accessor=_local("display_from")),
        "status_label",
        "calendar_warning_label",
    ]
    list_filter = ["reason_kind"]
    search_fields = ["title", "body"]
    ordering = ["-starts_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "reason_kind",
        "title",
        "body",
        "affected_services",
        "starts_at",
        "ends_at",
        "display_from",
        "unverified_years",
        "urgent_reason",
        "created_by",
        "created_at",
        "cancelled_at",
        "cancelled_by",
        "cancel_reason",
    ]
    copy_view_enabled = False
    removed_views = frozenset({"delete"})

    def get_form_class(self, for_update=False):
        return SuspensionNoticeForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("cancel/<int:pk>/", SuspensionCancelView.as_view(), name="cancel"),
        ]
