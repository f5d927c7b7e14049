"""Live compliance checks homed in publishing (registered in PublishingConfig.ready()):
行业信息 4 a day and the weekly department quota. They read what the reports and
the alerts read (reports.py), bounded to the day or the week in question."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from ggzy.accounts.models import Department
from ggzy.compliance.choices import Status
from ggzy.compliance.registry import CheckResult, register_check
from ggzy.core.calendar import load_calendar, subtract_working_days

from .models import PublicationRecord
from .reports import (
    INDUSTRY_COLUMN,
    INDUSTRY_DAILY_QUOTA,
    department_submissions,
    industry_published_per_day,
    quota_start,
    weekly_due_day,
    weekly_quota,
)

RECORDS_URL = "/admin/publishing/records/"


def _names(names: list[str]) -> str:
    return _("、").join(names[:5]) + (_("等 %(n)s 个") % {"n": len(names)} if len(names) > 5 else "")


@register_check("wzgl.fb.3.4")
def industry_news_daily_quota(*, today: dt.date) -> CheckResult:
    """网站管理制度 附表 3.4 行业信息 每天更新发布4篇, on working days: the last working
    day that ended reached 4 (failing otherwise); today, still short → due soon."""
    links = [(_("信息发布日志（行业信息）"), f"{RECORDS_URL}?column_title__icontains={INDUSTRY_COLUMN}")]
    if not PublicationRecord.objects.filter(column_title=INDUSTRY_COLUMN).exists():
        return CheckResult(Status.NO_DATA, _("行业信息栏目尚无发布记录"), links)
    calendar = load_calendar()
    last = subtract_working_days(today, 1, calendar=calendar).date
    counts = industry_published_per_day(first=last, after=today + dt.timedelta(days=1))
    quota = INDUSTRY_DAILY_QUOTA
    if counts[last] < quota:
        return CheckResult(
            Status.FAILING,
            _("行业信息 %(day)s 发布 %(n)s 篇，少于每天 %(quota)s 篇")
            % {"day": last.isoformat(), "n": counts[last], "quota": quota},
            links,
        )
    if calendar.is_working_day(today) and counts[today] < quota:
        return CheckResult(
            Status.DUE_SOON,
            _("行业信息今天已发布 %(n)s 篇，当天应发布 %(quota)s 篇（%(day)s 已达标）")
            % {"n": counts[today], "quota": quota, "day": last.isoformat()},
            links,
        )
    return CheckResult(
        Status.MET,
        _("行业信息 %(day)s 发布 %(n)s 篇，达到每天 %(quota)s 篇")
        % {"day": last.isoformat(), "n": counts[last], "quota": quota},
        links,
    )


@register_check("wzgl.12", "xxfb.3.4")
def weekly_department_quota(*, today: dt.date) -> CheckResult:
    """网站管理制度 第十二条 / 信息传递制度 (四): every department sends at least one item
    a week, by Friday (the week's last working day). The last week whose due day has
    passed decides (failing when a department sent none); in the current week, a
    department with nothing yet → due soon."""
    links = [(_("信息发布日志"), RECORDS_URL)]
    departments = dict(Department.objects.order_by("pk").values_list("pk", "name"))
    begin = quota_start()
    if not departments or begin is None or begin > today:
        return CheckResult(Status.NO_DATA, _("尚无报送记录，每周报送要求尚未开始计算"), links)
    calendar = load_calendar()
    monday = today - dt.timedelta(days=today.weekday())
    due = weekly_due_day(monday, calendar)
    # The last week whose due day is over: this one (after Friday), else the one before.
    last_monday = monday if due is not None and due < today else monday - dt.timedelta(days=7)
    last_due = weekly_due_day(last_monday, calendar)
    while last_due is None and last_monday > begin - dt.timedelta(days=7):  # a holiday week
        last_monday -= dt.timedelta(days=7)
        last_due = weekly_due_day(last_monday, calendar)
    if last_due is not None and last_due >= begin:
        weeks = weekly_quota(
            year=last_due.year, until=last_due + dt.timedelta(days=1), calendar=calendar, since=last_monday
        )
        missed = [
            name
            for pk, name in departments.items()
            if any(w.monday == last_monday and w.submitted == 0 for w in weeks.get(pk, []))
        ]
        if missed:
            return CheckResult(
                Status.FAILING,
                _("%(names)s 在 %(monday)s 那一周（截至 %(due)s）未报送信息")
                % {"names": _names(missed), "monday": last_monday.isoformat(), "due": last_due.isoformat()},
                links,
            )
    if due is not None and due >= today:
        sent = department_submissions(first=monday, after=today + dt.timedelta(days=1))
        waiting = [name for pk, name in departments.items() if not sent[pk]]
        if waiting:
            return CheckResult(
                Status.DUE_SOON,
                _("本周（截至 %(due)s）尚未报送：%(names)s")
                % {"due": due.isoformat(), "names": _names(waiting)},
                links,
            )
    if last_due is None or last_due < begin:
        return CheckResult(Status.NO_DATA, _("尚无已截止的报送周"), links)
    return CheckResult(
        Status.MET,
        _("各科室 %(monday)s 那一周均已按时报送信息") % {"monday": last_monday.isoformat()},
        links,
    )
