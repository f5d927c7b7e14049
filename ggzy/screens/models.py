"""The screen register and where the heartbeat reader left off in the access log."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import OFFLINE_STATUSES, ScreenStatus, Section

__all__ = ["BeatCursor", "Screen"]


def new_key() -> str:
    """The screen's URL key: unguessable, so that nobody outside the hall fakes its heartbeat."""
    return secrets.token_hex(10)


class Screen(models.Model):
    """One electronic screen of the hall (网络设备管理制度 第三条: 电子屏 is an important
    facility, maintained and watched). Nothing here reaches the screen as text: what it
    shows comes only from published notices (第九条); this row only says which sections,
    how fast and how often. Written through the register (``registers.SCREENS``)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    room = models.ForeignKey(
        "facility.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所在房间"),
        help_text=_("电子屏或其播放设备所在、由机房管理员维护的房间"),
    )
    location = models.CharField(_("安装位置"), max_length=200, help_text=_("例如：一楼交易大厅东墙"))
    show_openings = models.BooleanField(_("显示今日开标"), default=True)
    show_publicity = models.BooleanField(_("显示今日公示"), default=False)
    show_notices = models.BooleanField(_("显示通知"), default=False)
    scroll_speed = models.PositiveSmallIntegerField(
        _("滚动速度（像素/秒）"), default=40, validators=[MinValueValidator(10), MaxValueValidator(300)]
    )
    refresh_seconds = models.PositiveSmallIntegerField(
        _("刷新间隔（秒）"), default=30, validators=[MinValueValidator(10), MaxValueValidator(600)]
    )
    offline_minutes = models.PositiveSmallIntegerField(
        _("离线阈值（分钟）"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(1440)],
        help_text=_("超过该时间未取数即列为离线并告警"),
    )
    enabled = models.BooleanField(_("启用"), default=True)
    key = models.CharField(_("页面标识"), max_length=32, unique=True, default=new_key, editable=False)
    last_seen_at = models.DateTimeField(_("最近取数时间"), null=True, blank=True)
    # When the current offline episode was alerted (cleared when the screen is back).
    offline_since = models.DateTimeField(_("离线开始时间"), null=True, blank=True)
    # SHA-256 of the files last written, to tell our own writes from a change on disk.
    page_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    data_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("电子屏")
        verbose_name_plural = _("电子屏")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if not self.sections:
            errors["show_openings"] = _("请至少选择一项显示内容（今日开标、今日公示或通知）。")
        if (
            self.offline_minutes
            and self.refresh_seconds
            and self.offline_minutes * 60 < 2 * self.refresh_seconds
        ):
            errors["offline_minutes"] = _("离线阈值应至少为刷新间隔的两倍，否则正常的屏也会被列为离线。")
        if errors:
            raise ValidationError(errors)

    @property
    def sections(self) -> list[str]:
        flags = (
            (Section.OPENINGS, self.show_openings),
            (Section.PUBLICITY, self.show_publicity),
            (Section.NOTICES, self.show_notices),
        )
        return [str(section) for section, shown in flags if shown]

    def sections_label(self) -> str:
        return "、".join(str(Section(s).label) for s in self.sections)

    @property
    def url(self) -> str:
        return f"/screens/{self.key}/"

    def status_at(self, now: dt.datetime) -> str:
        """在线 / 离线 / 从未上线 / 等待上线 (registered less than N minutes ago) / 停用."""
        if not self.enabled:
            return ScreenStatus.DISABLED
        limit = dt.timedelta(minutes=self.offline_minutes)
        if self.last_seen_at is None:
            return ScreenStatus.NEVER if now - self.created_at > limit else ScreenStatus.WAITING
        return ScreenStatus.OFFLINE if now - self.last_seen_at > limit else ScreenStatus.ONLINE

    def is_offline(self, now: dt.datetime) -> bool:
        return self.status_at(now) in OFFLINE_STATUSES


class BeatCursor(models.Model):
    """Where the heartbeat reader stopped in an access log (by inode: a rotated log
    starts again from its beginning)."""

    path = models.CharField(max_length=500, unique=True)
    inode = models.BigIntegerField(default=0)
    offset = models.BigIntegerField(default=0)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("心跳日志读取位置")

    def __str__(self) -> str:
        return f"{self.path}@{self.offset}"
