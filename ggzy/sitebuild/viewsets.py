"""The tamper-check history in the admin (网站管理 → 网页防篡改检查): every run of
verify_site and of the periodic verify_and_restore_site, newest first, with the
paths it found (网络信息安全故障应急预案 第六条; 网站管理制度).

Read-only for everybody (the rows are evidence): TamperCheckPermissionPolicy
grants only "view", and the viewset has no add, edit, copy, delete, history or
usage URLs. Holders of sitebuild.view_tampercheck (the 网站管理员, 安全管理员 and
审计管理员 in jiaozuo.toml) see it; everybody else gets a recorded 403.
"""

import django_filters
from django import forms
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.permissions import policy_registry

from ggzy.audit import services as audit
from ggzy.audit.choices import Outcome
from ggzy.core.menus import SiteManagementMenu, in_group
from ggzy.core.viewsets import LimitedModelViewSet

from . import maintenance, selectors
from .models import TamperCheck

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# The views the viewset drops: it keeps a listing (and its filter refresh) and a detail view.
REMOVED_VIEWS = frozenset({"add", "edit", "delete", "history", "history_results", "usage"})


def _local_time(value) -> str:
    return timezone.localtime(value).strftime(TIME_FORMAT)


def _yes_no(value) -> str:
    return "—" if value is None else (_("是") if value else _("否"))


class TamperCheckFilterSet(WagtailFilterSet):
    intact = django_filters.BooleanFilter(
        label=gettext_lazy("检查结果"),
        widget=forms.RadioSelect(
            choices=[
                ("", gettext_lazy("全部")),
                ("true", gettext_lazy("正常")),
                ("false", gettext_lazy("被篡改")),
            ]
        ),
    )
    checked_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("检查日期"), widget=DateRangePickerWidget
    )

    class Meta:
        model = TamperCheck
        fields = ["intact", "checked_at"]


class TamperStateColumn(Column):
    """正常 / 被篡改 as a status badge, red when tampered."""

    cell_template_name = "sitebuild/tamper_state_cell.html"


class _ViewersOnly:
    """Holders of view_tampercheck only; everybody else gets an explicit, recorded
    403 (Wagtail would turn PermissionDenied into a redirect to the dashboard).
    Checked before the detail view looks the row up, so a refused user cannot
    tell existing checks from missing ones."""

    def setup(self, request, *args, **kwargs):
        policy = policy_registry.get_by_type(TamperCheck)
        self.denied = not policy.user_has_permission(request.user, "view")
        if self.denied:
            self.request, self.args, self.kwargs = request, args, kwargs
            return
        super().setup(request, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        if self.denied:
            audit.record(
                action="sitebuild.tampercheck.access_denied",
                outcome=Outcome.FAILURE,
                request=request,
                path=request.path,
            )
            return TemplateResponse(
                request,
                "audit/forbidden.html",
                {
                    "page_title": _("无权访问"),
                    "header_icon": "warning",
                    "message": _("只有网站管理员、安全管理员和审计管理员可以查看网页防篡改检查记录。"),
                },
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)


class TamperCheckIndexView(_ViewersOnly, generic.IndexView):
    template_name = "sitebuild/tamper_check_index.html"

    def get_base_queryset(self):
        # (Wagtail 8's IndexView never calls ModelViewSet.get_queryset.)
        return selectors.tamper_check_list()

    @cached_property
    def columns(self):
        return [
            self._get_title_column("checked_at", accessor=lambda c: _local_time(c.checked_at)),
            TamperStateColumn("intact", label=gettext_lazy("检查结果")),
            Column("files_checked", label=gettext_lazy("检查文件数")),
            Column("modified_count", label=gettext_lazy("被修改")),
            Column("added_count", label=gettext_lazy("新增")),
            Column("missing_count", label=gettext_lazy("缺失")),
            Column("restored", label=gettext_lazy("已恢复"), accessor=lambda c: _yes_no(c.restored)),
            Column(
                "intact_after_restore",
                label=gettext_lazy("恢复后完好"),
                accessor=lambda c: _yes_no(c.intact_after_restore),
            ),
            Column("duration_ms", label=gettext_lazy("耗时（毫秒）")),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.results_only:
            context["stale_warning"] = _stale_warning()
            if since := maintenance.down_since():
                context["down_warning"] = _(
                    "网站自 %(since)s 起处于维护状态（公开页面返回维护页），"
                    "由安全事件处置中的“恢复对外服务”撤下。"
                ) % {"since": _local_time(since)}
        return context


def _stale_warning() -> str:
    """Whether the periodic check has stopped (no run for CHECK_STALE_AFTER)."""
    now = timezone.now()
    last_at = selectors.tamper_check_last_at()
    if not selectors.tamper_check_stale(now=now, last_at=last_at):
        return ""
    if last_at is None:
        return _(
            "尚无网页防篡改检查记录：定时检查（每5分钟）可能未运行，请检查任务调度服务（ggzy-scheduler、ggzy-worker）。"
        )
    minutes = int((now - last_at).total_seconds() // 60)
    return _(
        "最近一次检查在 %(time)s（%(minutes)d 分钟前），已超过 %(limit)d 分钟："
        "定时检查（每5分钟）可能已停止，请检查任务调度服务（ggzy-scheduler、ggzy-worker）。"
    ) % {
        "time": _local_time(last_at),
        "minutes": minutes,
        "limit": int(selectors.CHECK_STALE_AFTER.total_seconds() // 60),
    }


class TamperCheckInspectView(_ViewersOnly, generic.InspectView):
    template_name = "sitebuild/tamper_check_inspect.html"
    page_title = gettext_lazy("检查详情")

    def get_field_label(self, field_name, field):
        if field_name == "intact":
            return _("检查结果")
        return super().get_field_label(field_name, field)

    def get_page_subtitle(self):
        return _local_time(self.object.checked_at)

    def get_checked_at_display_value(self):
        return _local_time(self.object.checked_at)

    def get_intact_display_value(self):
        return _("正常") if self.object.intact else _("被篡改")

    def get_manifest_error_display_value(self):
        return self.object.manifest_error or "—"

    def get_restored_display_value(self):
        return _yes_no(self.object.restored)

    def get_intact_after_restore_display_value(self):
        return _yes_no(self.object.intact_after_restore)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        check = self.object
        context["path_lists"] = [
            {"key": key, "title": title, "count": count, "paths": paths}
            for key, title, count, paths in (
                ("modified", _("被修改的文件"), check.modified_count, check.modified),
                ("added", _("新增的文件"), check.added_count, check.added),
                ("missing", _("缺失的文件"), check.missing_count, check.missing),
            )
        ]
        return context


@in_group(SiteManagementMenu, order=200)
class TamperCheckViewSet(LimitedModelViewSet):
    """网页防篡改检查 (网络信息安全故障应急预案 第六条): read-only history."""

    model = TamperCheck
    index_view_class = TamperCheckIndexView
    inspect_view_class = TamperCheckInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    icon = "warning"
    menu_label = gettext_lazy("网页防篡改检查")
    url_prefix = "site/tamper-checks"
    form_fields = []
    filterset_class = TamperCheckFilterSet
    list_per_page = 50
    ordering = ["-checked_at", "-pk"]
    removed_views = REMOVED_VIEWS
    inspect_view_fields = [
        "checked_at",
        "intact",
        "root",
        "files_checked",
        "manifest_error",
        "modified_count",
        "added_count",
        "missing_count",
        "restored",
        "intact_after_restore",
        "duration_ms",
    ]
