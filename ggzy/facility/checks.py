"""Live checks and the periodic duties of 网络机房管理制度 and 监控管理制度, registered
with compliance (imported in FacilityConfig.ready())."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.compliance.choices import OPEN_STATES, Status
from ggzy.compliance.models import Occurrence
from ggzy.compliance.obligations_builtin import register_file
from ggzy.compliance.registry import CheckResult, register_check
from ggzy.core.calendar import is_working_day

from .choices import RoomKind, ViewingState
from .models import DutyLog, FireExtinguisher, Key, MajorTask, MonitoringLog, Room, Sensor, ViewingRequest
from .services import REPAIR_DUTIES, repair_duty_key

register_file(Path(__file__).parent / "data" / "obligations.toml")

_LINK_ROOMS = "/admin/facility/"
# A sensor not read for this long is stale (the poller runs every minute).
STALE_MINUTES = 10


@register_check(
    "jf.1.3", "jf.1.3.1", "jf.1.3.2", "jf.1.3.3", "jf.1.3.4", "jf.1.3.5", "jf.1.3.6", "jf.1.6", "jk.2"
)
def duty_logs_kept(*, today: dt.date) -> CheckResult:
    """一(三)、一(六): every room has a duty log for every day; yesterday's missing is
    overdue, today's not yet written is due."""
    rooms = list(Room.objects.order_by("name"))
    if not rooms:
        return CheckResult(Status.NO_DATA, _("尚未登记机房"))
    yesterday = today - dt.timedelta(days=1)
    logged = set(DutyLog.objects.filter(day__in=[today, yesterday]).values_list("room_id", "day"))
    missed = [r.name for r in rooms if (r.pk, yesterday) not in logged]
    if missed:
        return CheckResult(
            Status.OVERDUE,
            _("%(day)s 无值班记录：%(rooms)s")
            % {"day": yesterday.isoformat(), "rooms": _("、").join(missed[:5])},
            [(_("机房值班"), _LINK_ROOMS)],
        )
    pending = [r.name for r in rooms if (r.pk, today) not in logged]
    if pending:
        return CheckResult(
            Status.DUE_SOON,
            _("今日值班记录待填写：%(rooms)s") % {"rooms": _("、").join(pending[:5])},
            [(_("机房值班"), _LINK_ROOMS)],
        )
    return CheckResult(
        Status.MET,
        _("%(count)s 个机房的值班记录齐全") % {"count": len(rooms)},
        [(_("机房值班"), _LINK_ROOMS)],
    )


@register_check("jf.1.3.1", "jf.1.3.2")
def sensors_reporting(*, today: dt.date) -> CheckResult:
    """一(三)1、2: the environment and power readings come from the sensors — every
    enabled sensor answered within the last minutes."""
    sensors = Sensor.objects.filter(enabled=True)
    if not sensors.exists():
        return CheckResult(Status.NO_DATA, _("尚未登记环境传感器或 UPS（值班记录手工填写）"))
    since = timezone.now() - dt.timedelta(minutes=STALE_MINUTES)
    silent = [
        str(s)
        for s in sensors.select_related("room").order_by("name")[:200]
        if s.last_error or s.last_polled_at is None or s.last_polled_at < since
    ]
    if silent:
        return CheckResult(
            Status.FAILING,
            _("传感器无读数：%(items)s") % {"items": _("、").join(silent[:5])},
            [(_("机房值班"), _LINK_ROOMS)],
        )
    return CheckResult(
        Status.MET,
        _("%(count)s 个传感器读数正常") % {"count": sensors.count()},
        [(_("机房值班"), _LINK_ROOMS)],
    )


@register_check("jk.4")
def viewings_approved(*, today: dt.date) -> CheckResult:
    """监控管理制度 四: every recording viewed or copied rests on an approved request."""
    viewed = ViewingRequest.objects.filter(state__in=[ViewingState.VIEWED, ViewingState.RETURNED])
    bad = viewed.filter(decided_by__isnull=True).count()
    if bad:
        return CheckResult(Status.FAILING, _("%(count)s 次调阅无审批记录") % {"count": bad})
    if not ViewingRequest.objects.exists():
        return CheckResult(Status.NO_DATA, _("尚无调阅申请"))
    return CheckResult(
        Status.MET,
        _("%(count)s 次调阅均经交易监督科负责人批准") % {"count": viewed.count()},
        [(_("录像调阅"), "/admin/facility/viewings/")],
    )


_LINK_KEYS = "/admin/facility/registers/keys/"
_LINK_EXTINGUISHERS = "/admin/facility/registers/extinguishers/"
_LINK_MONITORING = "/admin/facility/registers/monitoring/"
DUE_SOON_DAYS = 30


@register_check("jf.2.9")
def keys_held(*, today: dt.date) -> CheckResult:
    """二(九) 各门钥匙由指定的专人保管: every room's keys are registered, and none is held
    by someone whose account is no longer active (a departure hands keys over first)."""
    rooms = list(Room.objects.order_by("name"))
    if not rooms:
        return CheckResult(Status.NO_DATA, _("尚未登记机房"))
    keys = Key.objects.filter(lost=False).select_related("holder", "room")
    without = [r.name for r in rooms if not any(k.room_id == r.pk for k in keys)]
    stale = [f"{k.room.name} {k.label}（{k.holder.get_username()}）" for k in keys if not k.holder.is_active]
    if stale:
        return CheckResult(
            Status.FAILING,
            _("钥匙仍由已停用的账号保管：%(keys)s") % {"keys": "、".join(stale[:5])},
            [(_("钥匙"), _LINK_KEYS)],
        )
    if without:
        return CheckResult(
            Status.FAILING,
            _("未登记钥匙保管人的机房：%(rooms)s") % {"rooms": "、".join(without[:5])},
            [(_("钥匙"), _LINK_KEYS)],
        )
    return CheckResult(
        Status.MET, _("%(n)d 把钥匙均有在职的保管人") % {"n": len(keys)}, [(_("钥匙"), _LINK_KEYS)]
    )


@register_check("jf.2.2")
def extinguishers_in_date(*, today: dt.date) -> CheckResult:
    """二(二) 机房内应按规定配备灭火器，并定期更换: every machine room has an extinguisher
    in service, none past its replacement date."""
    rooms = list(Room.objects.filter(kind=RoomKind.MACHINE_ROOM).order_by("name"))
    if not rooms:
        return CheckResult(Status.NO_DATA, _("尚未登记机房"))
    active = list(FireExtinguisher.objects.filter(active=True).select_related("room"))
    links = [(_("灭火器"), _LINK_EXTINGUISHERS)]
    if without := [r.name for r in rooms if not any(e.room_id == r.pk for e in active)]:
        return CheckResult(
            Status.FAILING, _("未配备灭火器：%(rooms)s") % {"rooms": "、".join(without[:5])}, links
        )
    if expired := [f"{e.room.name} {e.location}" for e in active if e.replace_by < today]:
        return CheckResult(
            Status.FAILING, _("灭火器已过更换日期：%(items)s") % {"items": "、".join(expired[:5])}, links
        )
    soon = [e for e in active if e.replace_by <= today + dt.timedelta(days=DUE_SOON_DAYS)]
    if soon:
        return CheckResult(
            Status.DUE_SOON,
            _("%(n)d 具灭火器将在 %(days)d 天内到更换日期") % {"n": len(soon), "days": DUE_SOON_DAYS},
            links,
        )
    return CheckResult(Status.MET, _("%(n)d 具灭火器均在有效期内") % {"n": len(active)}, links)


@register_check("jk.3")
def monitoring_logs_kept(*, today: dt.date) -> CheckResult:
    """监控 三 每天对监控的情况进行登记: the last working day has its monitoring log
    (trading sessions run on working days); today's pending is due."""
    if not Room.objects.filter(kind=RoomKind.MONITORING_ROOM).exists():
        return CheckResult(Status.NO_DATA, _("尚未登记监控室"))
    last = today - dt.timedelta(days=1)
    for _step in range(14):
        if is_working_day(last):
            break
        last -= dt.timedelta(days=1)
    days = set(MonitoringLog.objects.filter(day__in=[last, today]).values_list("day", flat=True))
    links = [(_("监控日志"), _LINK_MONITORING)]
    if last not in days:
        return CheckResult(Status.OVERDUE, _("%(day)s 无监控日志") % {"day": last.isoformat()}, links)
    if is_working_day(today) and today not in days:
        return CheckResult(Status.DUE_SOON, _("今日监控日志待登记"), links)
    return CheckResult(Status.MET, _("监控日志按日登记"), links)


_LINK_TASKS = "/admin/facility/registers/pre_tasks/"


@register_check("jf.4.t.1", "jf.4.t.2", "jf.4.t.3", "jf.4.t.4")
def pre_task_maintenance(*, today: dt.date) -> CheckResult:
    """四 任务前维护: every major task of the last year had its maintenance done before it;
    one still open before its task is due, past its day overdue."""
    tasks = list(MajorTask.objects.filter(starts_on__gte=today - dt.timedelta(days=365)))
    links = [(_("重大任务"), _LINK_TASKS)]
    if not tasks:
        return CheckResult(Status.NO_DATA, _("近一年未登记重大任务"), links)
    occurrences = {
        o.obligation.key: o
        for o in Occurrence.objects.filter(obligation__key__in=[t.obligation_key for t in tasks])
        .select_related("obligation")
        .order_by("due_on")
    }
    late, pending = [], []
    for task in tasks:
        occurrence = occurrences.get(task.obligation_key)
        if occurrence is not None and occurrence.state not in OPEN_STATES:
            continue
        (late if task.starts_on <= today or (occurrence and occurrence.due_on < today) else pending).append(
            task
        )
    if late:
        return CheckResult(
            Status.OVERDUE,
            _("重大任务前未完成维护：%(tasks)s") % {"tasks": "、".join(str(t) for t in late[:5])},
            links,
        )
    if pending:
        return CheckResult(
            Status.DUE_SOON,
            _("待完成任务前维护：%(tasks)s") % {"tasks": "、".join(str(t) for t in pending[:5])},
            links,
        )
    return CheckResult(Status.MET, _("%(n)d 项重大任务均已完成任务前维护") % {"n": len(tasks)}, links)


@register_check("jf.4.o.1", "jf.4.o.2")
def room_repairs(*, today: dt.date) -> CheckResult:
    """四 大修和中修: every machine room has its commissioning date (the duties are
    counted from it) and no mid repair or overhaul is overdue."""
    rooms = list(Room.objects.filter(kind=RoomKind.MACHINE_ROOM).order_by("name"))
    links = [(_("机房与阈值"), "/admin/facility/registers/rooms/")]
    if not rooms:
        return CheckResult(Status.NO_DATA, _("尚未登记机房"), links)
    if undated := [r.name for r in rooms if r.commissioned_on is None]:
        return CheckResult(
            Status.FAILING,
            _("未填写投入使用日期，无法排定中修和大修：%(rooms)s") % {"rooms": "、".join(undated[:5])},
            links,
        )
    keys = [repair_duty_key(r, kind) for r in rooms for kind, *_rest in REPAIR_DUTIES]
    open_ = list(
        Occurrence.objects.filter(obligation__key__in=keys, state__in=OPEN_STATES).select_related(
            "obligation"
        )
    )
    if late := [o for o in open_ if o.due_on < today]:
        return CheckResult(
            Status.OVERDUE,
            _("逾期未完成：%(items)s") % {"items": "、".join(str(o) for o in late[:5])},
            [(_("我的定期义务"), "/admin/compliance/mine/")],
        )
    if soon := [o for o in open_ if o.due_on <= today + dt.timedelta(days=o.obligation.due_soon_days)]:
        return CheckResult(
            Status.DUE_SOON,
            _("即将到期：%(items)s") % {"items": "、".join(str(o) for o in soon[:5])},
            [(_("我的定期义务"), "/admin/compliance/mine/")],
        )
    return CheckResult(Status.MET, _("%(n)d 个机房的中修、大修按期排定") % {"n": len(rooms)}, links)
