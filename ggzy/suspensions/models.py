"""Service suspension notices (暂停交易服务通知) and what the static home page last showed."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import SuspensionReason, SuspensionStatus

__all__ = ["SuspensionNotice", "SuspensionRenderState"]


class SuspensionNotice(models.Model):
    """A scheduled suspension of trading services, announced on the home page
    from ``display_from`` (N working days before ``starts_at``) until
    ``ends_at`` (网络安全管理办法 二(十一)). Written by ``services`` only."""

    reason_kind = models.CharField(_("暂停原因"), max_length=20, choices=SuspensionReason.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("通知内容"))
    affected_services = models.CharField(
        _("暂停的服务"),
        max_length=500,
        help_text=_("例如：网上开标、CA 证书办理、保证金退付"),
    )
    starts_at = models.DateTimeField(_("暂停开始时间"))
    ends_at = models.DateTimeField(_("恢复服务时间"))
    # When the home page starts showing the notice, computed on the working-day
    # calendar by services.notice_schedule and kept current by the periodic refresh.
    display_from = models.DateTimeField(_("通知显示时间"), db_index=True)
    # Years the display window touches that have no recorded holiday arrangement
    # ("2027" or "2027,2028"): shown as a warning in the admin.
    unverified_years = models.CharField(_("节假日未录入年度"), max_length=40, blank=True)
    urgent_reason = models.TextField(
        _("紧急原因"),
        blank=True,
        help_text=_("距开始不足规定的工作日时必填（“原则上提前发布”的例外）。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("安排人")
    )
    created_at = models.DateTimeField(_("安排时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("取消人"),
    )
    cancel_reason = models.TextField(_("取消原因"), blank=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("暂停交易服务通知")
        verbose_name_plural = _("暂停交易服务通知")

    def __str__(self) -> str:
        return self.title

    def status_at(self, now: dt.datetime) -> str:
        if self.cancelled_at is not None:
            return SuspensionStatus.CANCELLED
        if self.ends_at <= now:
            return SuspensionStatus.ENDED
        if self.display_from <= now:
            return SuspensionStatus.SHOWING
        return SuspensionStatus.PENDING

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    def status_label(self) -> str:
        return SuspensionStatus(self.status).label

    status_label.short_description = _("状态")

    @property
    def calendar_warning(self) -> str:
        if not self.unverified_years:
            return ""
        years = "、".join(self.unverified_years.split(","))
        return _("%(years)s年的法定节假日安排尚未录入，显示时间已按保守规则提前，请录入后核对。") % {
            "years": years
        }

    def calendar_warning_label(self) -> str:
        return self.calendar_warning

    calendar_warning_label.short_description = _("日历提示")

    @property
    def editable(self) -> bool:
        return self.status in (SuspensionStatus.PENDING, SuspensionStatus.SHOWING)


class SuspensionRenderState(models.Model):
    """What the static home page last showed (one row): the periodic refresh
    re-renders the home page only when the set of visible notices changed."""

    signature = models.CharField(max_length=64)
    notice_ids = models.JSONField(default=list)
    rendered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("首页通知渲染状态")

    def __str__(self) -> str:
        return f"{self.rendered_at:%Y-%m-%d %H:%M} {self.notice_ids}"
