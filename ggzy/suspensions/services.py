"""Service suspension notices (暂停交易服务通知): scheduling, changes, cancellation
and keeping the static home page in step with the clock.

网络安全管理办法 二(十一): "因系统维护或法定节假日等原因，原则上提前发布暂停交易服务通知".
The notice is shown from ``SUSPENSION_NOTICE_WORKING_DAYS`` working days before
the suspension starts (counted on the holiday/调休 calendar) until it ends.
"原则上" allows exceptions: a shorter lead needs an urgent reason, recorded.
"""

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.audit.services import record
from ggzy.core.calendar import Calendar, load_calendar
from ggzy.core.permissions import role_has_perm
from ggzy.sitebuild import services as sitebuild

from .models import SuspensionNotice, SuspensionRenderState
from .schedule import NoticeSchedule, notice_schedule
from .selectors import visible_notices

logger = logging.getLogger(__name__)

NOTICE_FIELDS = ["reason_kind", "title", "body", "affected_services", "starts_at", "ends_at", "urgent_reason"]


def notice_validate(
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    urgent_reason: str = "",
    notice: SuspensionNotice | None = None,
    now: dt.datetime | None = None,
    calendar: Calendar | None = None,
) -> NoticeSchedule:
    """Check a new or changed suspension; errors are per field, in Chinese.
    Shared by the admin form (errors on the fields) and the services."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if notice is not None and notice.pk and not notice.editable:
        raise ValidationError(_("已结束或已取消的通知不能修改。"))
    if ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("恢复服务时间必须晚于暂停开始时间。"))
    elif ends_at <= now:
        errors.setdefault("ends_at", []).append(_("恢复服务时间已过，无需发布暂停通知。"))
    overlapping = SuspensionNotice.objects.filter(
        cancelled_at__isnull=True, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if notice is not None and notice.pk:
        overlapping = overlapping.exclude(pk=notice.pk)
    other = overlapping.order_by("starts_at").first()
    if other is not None:
        errors.setdefault("starts_at", []).append(
            _("与已安排的暂停通知“%(title)s”（%(start)s 至 %(end)s）时间重叠，请修改该通知，不要重复安排。")
            % {"title": other.title, "start": _local(other.starts_at), "end": _local(other.ends_at)}
        )
    schedule = notice_schedule(starts_at=starts_at, ends_at=ends_at, calendar=calendar)
    start_changed = notice is None or not notice.pk or notice.starts_at != starts_at
    # 网络安全管理办法 二(十一) "原则上提前发布": a shorter lead is the exception, with a reason.
    if start_changed and not schedule.lead_ok(first_shown(notice, now)) and not urgent_reason.strip():
        errors.setdefault("urgent_reason", []).append(
            _(
                "距暂停开始不足%(days)d个工作日（通知应于%(date)s前发布）。"
                "如确需临时暂停，请填写紧急原因，该原因将记入审计日志。"
            )
            % {"days": schedule.working_days, "date": _local(schedule.display_from, "%Y-%m-%d")}
        )
    if errors:
        raise ValidationError(errors)
    return schedule


def first_shown(notice: SuspensionNotice | None, now: dt.datetime) -> dt.datetime:
    """When the public first saw (or will first see, if saved now) the notice:
    a notice already on the home page keeps its lead when it is postponed."""
    if notice is not None and notice.pk and notice.cancelled_at is None:
        shown = max(notice.display_from, notice.created_at)
        if shown <= now:
            return shown
    return now


def _local(value: dt.datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(value).strftime(fmt)


# --------------------------------------------------------------------------- writes


def _ensure_can(actor, action: str) -> None:
    # Least privilege (jiaozuo.toml): only the 网站管理员 holds these by default.
    if actor is None or not role_has_perm(actor, f"suspensions.{action}_suspensionnotice"):
        raise PermissionDenied(_("您没有安排暂停交易服务通知的权限。"))


def _snapshot(notice: SuspensionNotice) -> dict:
    data = {name: getattr(notice, name) for name in [*NOTICE_FIELDS, "display_from"]}
    return {
        k: timezone.localtime(v).isoformat() if isinstance(v, dt.datetime) else v for k, v in data.items()
    }


def _audit_extra(schedule: NoticeSchedule, shown: dt.datetime) -> dict:
    return {
        "display_from": timezone.localtime(schedule.display_from).isoformat(),
        "working_days": schedule.working_days,
        "short_notice": not schedule.lead_ok(shown),
        "unverified_years": list(schedule.unverified_years),
    }


def _refresh_on_commit() -> None:
    transaction.on_commit(partial(suspension_notices_refresh), robust=True)


@transaction.atomic
def suspension_schedule(
    *,
    reason_kind: str,
    title: str,
    body: str,
    affected_services: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    urgent_reason: str = "",
    actor,
) -> SuspensionNotice:
    """Schedule a suspension of trading services and its home page notice."""
    _ensure_can(actor, "add")
    now = timezone.now()
    schedule = notice_validate(starts_at=starts_at, ends_at=ends_at, urgent_reason=urgent_reason, now=now)
    notice = SuspensionNotice.objects.create(
        reason_kind=reason_kind,
        title=title,
        body=body,
        affected_services=affected_services,
        starts_at=starts_at,
        ends_at=ends_at,
        urgent_reason=urgent_reason.strip(),
        display_from=schedule.display_from,
        unverified_years=",".join(map(str, schedule.unverified_years)),
        created_by=actor,
    )
    record(
        action="suspensions.notice.scheduled",
        actor=actor,
        obj=notice,
        after=_snapshot(notice),
        **_audit_extra(schedule, now),
    )
    _refresh_on_commit()
    return notice


@transaction.atomic
def suspension_change(*, notice: SuspensionNotice, data: dict, actor) -> SuspensionNotice:
    """Change a pending or showing notice (fields of ``NOTICE_FIELDS``)."""
    _ensure_can(actor, "change")
    notice = SuspensionNotice.objects.select_for_update().get(pk=notice.pk)
    now = timezone.now()
    merged = {name: data.get(name, getattr(notice, name)) for name in NOTICE_FIELDS}
    schedule = notice_validate(
        starts_at=merged["starts_at"],
        ends_at=merged["ends_at"],
        urgent_reason=merged["urgent_reason"] or "",
        notice=notice,
        now=now,
    )
    before, shown = _snapshot(notice), first_shown(notice, now)
    for name, value in merged.items():
        setattr(notice, name, value.strip() if name == "urgent_reason" else value)
    notice.display_from = schedule.display_from
    notice.unverified_years = ",".join(map(str, schedule.unverified_years))
    notice.save()
    after = _snapshot(notice)
    record(
        action="suspensions.notice.changed",
        actor=actor,
        obj=notice,
        before=before,
        after=after,
        changed=sorted(k for k in after if before[k] != after[k]),
        **_audit_extra(schedule, shown),
    )
    _refresh_on_commit()
    return notice


@transaction.atomic
def suspension_cancel(*, notice: SuspensionNotice, reason: str, actor) -> SuspensionNotice:
    """Cancel a notice: it leaves the home page at once (and the static one on commit)."""
    _ensure_can(actor, "change")
    notice = SuspensionNotice.objects.select_for_update().get(pk=notice.pk)
    if not notice.editable:
        raise ValidationError(_("该通知已结束或已取消。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写取消原因。")})
    was = notice.status
    notice.cancelled_at = timezone.now()
    notice.cancelled_by = actor
    notice.cancel_reason = reason.strip()
    notice.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason", "updated_at"])
    record(
        action="suspensions.notice.cancelled",
        actor=actor,
        obj=notice,
        reason=notice.cancel_reason,
        status_before=str(was),
    )
    _refresh_on_commit()
    return notice


# --------------------------------------------------------------------------- the home page


@dataclass
class RefreshResult:
    visible: list[int] = field(default_factory=list)
    changed: bool = False  # the visible set differs from what was last rendered
    rendered: bool = False
    recomputed: int = 0  # pending notices whose display time moved (calendar edited)
    skipped: str = ""


def _signature(rows) -> str:
    text = ";".join(f"{pk}@{updated.isoformat()}" for pk, updated in rows)
    return hashlib.sha256(text.encode()).hexdigest()


def _recompute_pending(now: dt.datetime, *, dry_run: bool) -> int:
    """The calendar may have been edited since a notice was scheduled (a new
    year's arrangement recorded): recompute display times not yet reached."""
    pending = list(SuspensionNotice.objects.filter(cancelled_at__isnull=True, display_from__gt=now))
    if not pending:
        return 0
    cal = load_calendar()
    moved = []
    for notice in pending:
        schedule = notice_schedule(starts_at=notice.starts_at, ends_at=notice.ends_at, calendar=cal)
        years = ",".join(map(str, schedule.unverified_years))
        if (schedule.display_from, years) != (notice.display_from, notice.unverified_years):
            notice.display_from, notice.unverified_years = schedule.display_from, years
            moved.append(notice)
    if moved and not dry_run:
        SuspensionNotice.objects.bulk_update(moved, ["display_from", "unverified_years"])
    return len(moved)


def home_render():
    """Re-render the static home page only (or nothing before the first build)."""
    return sitebuild.site_home_changed()


def suspension_notices_refresh(*, now: dt.datetime | None = None, dry_run: bool = False) -> RefreshResult:
    """Periodic (every minute) and after every save: re-render the static home
    page only if the set of visible notices (or one of them) changed since the
    last render; remember what was rendered."""
    now = now or timezone.now()
    result = RefreshResult(recomputed=_recompute_pending(now, dry_run=dry_run))
    rows = list(visible_notices(now=now).values_list("pk", "updated_at"))
    result.visible = [pk for pk, _ in rows]
    signature = _signature(rows)
    state = SuspensionRenderState.objects.filter(pk=1).first()
    # Never rendered by us: the last full build showed the truth then, assume nothing visible.
    last = state.signature if state is not None else _signature([])
    result.changed = signature != last
    if not result.changed or dry_run:
        return result
    update = home_render()
    if update is None or update.skipped:
        result.skipped = update.skipped if update is not None else "no default site"
        return result
    result.rendered = True
    SuspensionRenderState.objects.update_or_create(
        pk=1, defaults={"signature": signature, "notice_ids": result.visible, "rendered_at": now}
    )
    logger.info("home page re-rendered: suspension notices now %s", result.visible or "none")
    return result
