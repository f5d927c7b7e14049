"""Compliance checks and obligations of incident response (网络信息安全故障应急预案),
registered with the compliance backbone (ggzy.compliance.registry)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.accounts.choices import RoleKey
from ggzy.compliance.registry import CheckResult, register_check, register_obligation

from .choices import ContactGroup, IncidentStatus, SupportKind
from .models import REPORT_WITHIN, Contact, FollowUpAction, Incident, ReserveEquipment, SupportTeam

WINDOW_DAYS = 365
LIST = "/admin/incidents/"


def _real_incidents(today: dt.date):
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=WINDOW_DAYS), dt.time.min))
    return Incident.objects.filter(is_drill=False, detected_at__gte=since).exclude(
        status=IncidentStatus.ERROR
    )


@register_check("yjya.8")
def report_clock(*, today: dt.date) -> CheckResult:
    """第八条: every real incident of the last year reported to the 领导小组 within 5 minutes."""
    incidents = _real_incidents(today)
    total = incidents.count()
    if not total:
        return CheckResult("met", _("近一年没有安全事件"), [(_("安全事件"), LIST)])
    now = timezone.now()
    late = list(incidents.filter(report_late=True).values_list("pk", flat=True)[:20]) + list(
        incidents.filter(first_reported_at__isnull=True, detected_at__lt=now - REPORT_WITHIN)
        .exclude(report_late=True)
        .values_list("pk", flat=True)[:20]
    )
    if late:
        return CheckResult(
            "failing",
            _("近一年 %(total)d 起事件中 %(late)d 起未在 5 分钟内报告领导小组：%(ids)s")
            % {"total": total, "late": len(late), "ids": "、".join(f"#{pk}" for pk in late)},
            [(f"#{pk}", f"{LIST}{pk}/") for pk in late[:5]],
        )
    return CheckResult(
        "met",
        _("近一年 %(total)d 起事件均在 5 分钟内报告领导小组") % {"total": total},
        [(_("安全事件"), LIST)],
    )


@register_check("yjya.9", "yjya.3.4", "yjya.7.3")
def investigations_done(*, today: dt.date) -> CheckResult:
    """第九条: a recovered incident gets its signed-off investigation report; follow-ups done on time."""
    incidents = _real_incidents(today)
    pending = list(
        incidents.filter(
            status=IncidentStatus.RECOVERED, recovered_at__lt=timezone.now() - dt.timedelta(days=30)
        ).values_list("pk", flat=True)[:20]
    )
    overdue = FollowUpAction.objects.filter(done_at__isnull=True, due_on__lt=today).count()
    if pending or overdue:
        return CheckResult(
            "overdue",
            _("恢复超过 30 天仍未关闭（缺调查报告）的事件 %(n)d 起；逾期未完成的整改措施 %(f)d 项")
            % {"n": len(pending), "f": overdue},
            [(f"#{pk}", f"{LIST}{pk}/") for pk in pending[:5]],
        )
    return CheckResult("met", _("已恢复的事件均已调查并关闭，整改措施无逾期"), [(_("安全事件"), LIST)])


@register_check("yjya.10")
def contacts_roster(*, today: dt.date) -> CheckResult:
    """第十条: the 领导小组 roster has members with phones, and a lead."""
    leaders = Contact.objects.filter(active=True, group=ContactGroup.LEADERSHIP).exclude(phone="")
    if not leaders.exists():
        return CheckResult(
            "no_data", _("应急联系人名册中没有领导小组成员"), [(_("应急联系人"), f"{LIST}contacts/")]
        )
    if not leaders.filter(is_lead=True).exists():
        return CheckResult("failing", _("名册中未指定领导小组组长"), [(_("应急联系人"), f"{LIST}contacts/")])
    return CheckResult(
        "met",
        _("领导小组 %(n)d 人在册，均有手机号") % {"n": leaders.count()},
        [(_("应急联系人"), f"{LIST}contacts/")],
    )


@register_check("yjya.11")
def reserve_equipment(*, today: dt.date) -> CheckResult:
    """第十一条: reserve equipment registered, each with a keeper, checked within a quarter."""
    items = ReserveEquipment.objects.all()
    if not items.exists():
        return CheckResult("no_data", _("尚未登记备用设备"), [(_("备用设备"), f"{LIST}reserve/")])
    stale = (
        items.filter(checked_on__isnull=True).count()
        + items.filter(checked_on__lt=today - dt.timedelta(days=92)).count()
    )
    if stale:
        return CheckResult(
            "overdue",
            _("%(n)d 项备用设备超过一个季度未检查") % {"n": stale},
            [(_("备用设备"), f"{LIST}reserve/")],
        )
    return CheckResult(
        "met",
        _("%(n)d 项备用设备均在本季度检查过") % {"n": items.count()},
        [(_("备用设备"), f"{LIST}reserve/")],
    )


@register_check("yjya.13")
def support_teams(*, today: dt.date) -> CheckResult:
    """第十三条: both kinds of support team registered with contacts."""
    kinds = set(SupportTeam.objects.filter(active=True).values_list("kind", flat=True))
    missing = [str(SupportKind(k).label) for k in SupportKind.values if k not in kinds]
    if missing:
        return CheckResult(
            "no_data",
            _("未登记：%(kinds)s") % {"kinds": "、".join(missing)},
            [(_("应急支援队伍"), f"{LIST}support/")],
        )
    return CheckResult(
        "met", _("现场服务厂商和外部支援单位均已登记"), [(_("应急支援队伍"), f"{LIST}support/")]
    )


# 第十条: the roster is confirmed current every month.
register_obligation(
    key="yjya-contacts",
    title=_("确认应急联系人名册（24 小时通讯畅通）"),
    clauses=["yjya.10"],
    owner_role=RoleKey.SECURITY_ADMIN,
    rrule="FREQ=MONTHLY;BYMONTHDAY=5",
    starts_on=dt.date(2026, 1, 1),
    non_working_day="next",
    evidence="none",
    checklist=[
        {"key": "current", "label": _("名册人员、职务、电话均为最新"), "type": "yes_no", "expected": True},
        {"key": "tested", "label": _("已抽查拨通"), "type": "yes_no", "expected": True},
    ],
)
# 第十一条: the reserve equipment is checked every quarter by its keepers.
register_obligation(
    key="yjya-reserve",
    title=_("备用设备检查"),
    clauses=["yjya.11"],
    owner_role=RoleKey.MACHINE_ROOM_ADMIN,
    rrule="FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=10",
    starts_on=dt.date(2026, 1, 1),
    non_working_day="next",
    evidence="photo",
    checklist=[
        {"key": "complete", "label": _("数量与台账一致"), "type": "yes_no", "expected": True},
        {"key": "working", "label": _("通电检查正常"), "type": "yes_no", "expected": True},
    ],
)
