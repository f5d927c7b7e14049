"""Live checks and the review obligation of device logs, registered with compliance
(imported in DeviceLogsConfig.ready()). Messages name devices, never their
addresses (网络安全管理办法 四(三))."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.accounts.choices import RoleKey
from ggzy.compliance.choices import Status
from ggzy.compliance.registry import CheckResult, register_check, register_obligation
from ggzy.network.selectors import devices

from .models import DayArchive, LogFile

LINKS = ((gettext_lazy("设备日志"), "/admin/devicelogs/"),)
MINIMUM_RETENTION_DAYS = 90  # 五(四) 日志文件保存时间应在3个月以上


@register_check("wlaq.5.1", "wlaq.5.2")
def logs_arriving(*, today: dt.date) -> CheckResult:
    """五(一)(二): every key device in the register has sent logs within
    DEVICELOG_SILENCE_HOURS (one grouped query over the collector's files)."""
    rows = list(devices().filter(active=True, key_device=True).values("pk", "name").order_by("name"))
    if not rows:
        return CheckResult(Status.NO_DATA, _("尚未登记关键网络设备"), LINKS)
    last = dict(
        LogFile.objects.filter(device_id__in=[r["pk"] for r in rows])
        .values("device_id")
        .annotate(last=Max("last_line_at"))
        .values_list("device_id", "last")
    )
    since = timezone.now() - dt.timedelta(hours=settings.DEVICELOG_SILENCE_HOURS)
    silent = [r["name"] for r in rows if last.get(r["pk"]) is None or last[r["pk"]] < since]
    if silent:
        return CheckResult(
            Status.FAILING,
            _("%(hours)s 小时内未收到日志的关键设备：%(devices)s")
            % {"hours": settings.DEVICELOG_SILENCE_HOURS, "devices": _("、").join(silent[:5])},
            LINKS,
        )
    return CheckResult(Status.MET, _("%(count)s 台关键设备的日志均在正常接收") % {"count": len(rows)}, LINKS)


@register_check("wlaq.5.4")
def retention_met(*, today: dt.date) -> CheckResult:
    """五(四): logs are kept at least DEVICELOG_RETENTION_DAYS (≥ 90) and backed up: every
    closed day is archived, and nothing inside the retention period was purged."""
    days = settings.DEVICELOG_RETENTION_DAYS
    if days < MINIMUM_RETENTION_DAYS:
        return CheckResult(
            Status.FAILING, _("设备日志保存期限 %(days)s 天，低于 3 个月") % {"days": days}, LINKS
        )
    cutoff = today - dt.timedelta(days=days)
    files = LogFile.objects.aggregate(
        unarchived=Count("pk", filter=Q(archived_at__isnull=True, day__lt=today - dt.timedelta(days=1))),
        first=Min("day"),
    )
    archives = DayArchive.objects.aggregate(
        early=Count("pk", filter=Q(purged_at__isnull=False, day__gte=cutoff)), count=Count("pk")
    )
    if files["first"] is None and not archives["count"]:
        return CheckResult(Status.NO_DATA, _("尚未收到设备日志"), LINKS)
    if archives["early"]:
        return CheckResult(
            Status.FAILING,
            _("%(count)s 个保存期限内的日志归档已被清理") % {"count": archives["early"]},
            LINKS,
        )
    if files["unarchived"]:
        return CheckResult(
            Status.OVERDUE,
            _("%(count)s 个已结束日期的日志文件尚未归档") % {"count": files["unarchived"]},
            LINKS,
        )
    return CheckResult(
        Status.MET,
        _("设备日志保存 %(days)s 天（不少于 3 个月），已结束的日期均已压缩归档") % {"days": days},
        LINKS,
    )


# 五(三) 定期查看所管设备的日志文件，发现异常情况要及时处理和报告上级主管: weekly, under a
# grant (五(五)); the checklist names what the alert rules and the search show.
register_obligation(
    key="devicelogs-review",
    title=_("设备日志定期审查"),
    clauses=["wlaq.5.3"],
    owner_role=RoleKey.NETWORK_ADMIN,
    rrule="FREQ=WEEKLY;BYDAY=FR",
    starts_on=dt.date(2026, 1, 2),
    non_working_day="previous",
    evidence="none",
    due_soon_days=2,
    checklist=[
        {
            "key": "failed_logins",
            "label": _("已查看各设备的登录失败记录"),
            "type": "yes_no",
            "expected": True,
        },
        {"key": "changes", "label": _("配置变更日志均有对应的变更记录"), "type": "yes_no", "expected": True},
        {"key": "anomalies", "label": _("发现异常情况"), "type": "yes_no", "expected": False},
        {"key": "notes", "label": _("处理与报告情况"), "type": "text", "required": False},
    ],
)
