"""Live compliance check homed in portal (registered in PortalConfig.ready()): every
column published within its policy's update limit (网站管理制度 第九条 and its 附表
《网站栏目信息发布分类》). portal owns ColumnPolicy and sits above publishing, whose
per-day counts it reads."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from ggzy.compliance.choices import Status
from ggzy.compliance.registry import CheckResult, register_check
from ggzy.core.calendar import load_calendar, subtract_working_days
from ggzy.publishing.models import PublicationRecord
from ggzy.publishing.reports import published_per_day

from .choices import UpdateTimeLimit
from .models import ColumnPolicy

# Items a column must publish each working day, by update limit (附表 更新时限).
# 实时更新 and 审核无误即时发布 are event-driven (publish when the item arises or
# is approved — the chain publishes on its last approval), with no daily minimum.
DAILY_MINIMUM = {UpdateTimeLimit.DAILY: 1, UpdateTimeLimit.DAILY_FOUR: 4}
POLICIES_URL = "/admin/column-policies/"


@register_check("wzgl.9", "wzgl.fb.8")
def columns_updated_in_time(*, today: dt.date) -> CheckResult:
    """Each live column whose limit is 每天更新 (1 a working day) or 每天更新发布4篇 (4)
    reached it on the last working day that ended (failing otherwise); a column
    still short today → due soon. One grouped count per such column (two in the
    center's tree)."""
    policies = list(
        ColumnPolicy.objects.filter(update_time_limit__in=list(DAILY_MINIMUM), column__live=True)
        .select_related("column")
        .order_by("column__path")[:50]
    )
    links = [(_("栏目发布要求"), POLICIES_URL)]
    if not policies:
        return CheckResult(Status.MET, _("没有规定每天更新篇数的栏目，其余栏目实时或审核后即时发布"), links)
    if not PublicationRecord.objects.exists():
        return CheckResult(Status.NO_DATA, _("尚无信息发布记录"), links)
    calendar = load_calendar()
    last = subtract_working_days(today, 1, calendar=calendar).date
    working_today = calendar.is_working_day(today)
    short_last, short_today = [], []
    for policy in policies:
        minimum = DAILY_MINIMUM[policy.update_time_limit]
        counts = published_per_day(
            first=last, after=today + dt.timedelta(days=1), page_path=policy.column.path
        )
        entry = {"column": policy.column.title, "n": counts[last], "today": counts[today], "minimum": minimum}
        if counts[last] < minimum:
            short_last.append(entry)
        elif working_today and counts[today] < minimum:
            short_today.append(entry)
    if short_last:
        return CheckResult(
            Status.FAILING,
            _("%(day)s 未达到更新时限：%(columns)s")
            % {
                "day": last.isoformat(),
                "columns": _("、").join(_("%(column)s %(n)s/%(minimum)s 篇") % entry for entry in short_last),
            },
            links,
        )
    if short_today:
        return CheckResult(
            Status.DUE_SOON,
            _("今天尚未达到更新时限：%(columns)s")
            % {
                "columns": _("、").join(
                    _("%(column)s 已发布 %(today)s/%(minimum)s 篇") % entry for entry in short_today
                )
            },
            links,
        )
    return CheckResult(
        Status.MET,
        _("%(day)s 各栏目均按更新时限发布：%(columns)s")
        % {"day": last.isoformat(), "columns": _("、").join(p.column.title for p in policies)},
        links,
    )
