"""Reads of the audit log that depend on who asks (网络安全管理办法 五(五), 三权分立)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.accounts.choices import SEPARATED_ADMIN_ROLES, RoleKey
from ggzy.core.actions import is_registered
from ggzy.core.calendar import load_calendar

from . import grants
from .choices import Outcome
from .models import AuditAccessGrant, AuditEvent


def active_grant(user, now: datetime | None = None) -> AuditAccessGrant | None:
    return grants.active_grant(AuditAccessGrant.objects.all(), user, now)


def is_audit_admin(user) -> bool:
    # Roles, not has_perm/is_superuser: the bootstrap superuser is a 系统管理员 and
    # must not read the log (三权分立).
    return bool(user and user.is_authenticated and user.has_role(RoleKey.AUDIT_ADMIN))


def is_security_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(RoleKey.SECURITY_ADMIN))


def reading_grant(user) -> AuditAccessGrant:
    """The grant under which ``user`` reads now, or PermissionDenied."""
    if not is_audit_admin(user):
        raise PermissionDenied(_("只有审计管理员可以查阅审计日志。"))
    grant = active_grant(user)
    if grant is None:
        raise PermissionDenied(
            _("没有有效的查阅授权：请先申请，并经安全管理员批准（网络安全管理办法 五(五)）。")
        )
    return grant


@dataclass
class EventFilters:
    since: datetime | None = None
    until: datetime | None = None
    actor: str = ""
    action: str = ""
    outcome: str = ""
    object: str = ""

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def events_visible(*, grant: AuditAccessGrant, filters: EventFilters) -> QuerySet[AuditEvent]:
    """Events in the grant's scope, filtered; newest first (keyset by seq)."""
    qs = AuditEvent.objects.all()
    if grant.scope_action_prefix:
        qs = qs.filter(action__startswith=grant.scope_action_prefix)
    if grant.scope_since:
        qs = qs.filter(time__gte=grant.scope_since)
    if grant.scope_until:
        qs = qs.filter(time__lt=grant.scope_until)
    if filters.since:
        qs = qs.filter(time__gte=filters.since)
    if filters.until:
        qs = qs.filter(time__lt=filters.until)
    if filters.actor:
        qs = qs.filter(actor_username=filters.actor)
    if filters.action:
        # A registered name is one action (publishing.page.published is not
        # publishing.page.published_scheduled); anything else is a prefix.
        if is_registered(filters.action):
            qs = qs.filter(action=filters.action)
        else:
            qs = qs.filter(action__startswith=filters.action)
    if filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    if filters.object:
        qs = qs.filter(Q(object_repr__icontains=filters.object) | Q(object_id=filters.object))
    return qs.order_by("-seq")


def page_of(
    qs: QuerySet[AuditEvent], *, before_seq: int | None, size: int
) -> tuple[list[AuditEvent], int | None]:
    """Keyset pagination: rows older than ``before_seq``; the next page's key or None."""
    if before_seq is not None:
        qs = qs.filter(seq__lt=before_seq)
    rows = list(qs.select_related(None)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1].seq if more and rows else None)


# --------------------------------------------------------------------------- anomalies (五(三))

FAILED_LOGIN_THRESHOLD = 5
WORK_START, WORK_END = 8, 19  # off-hours: before 08:00 or from 19:00, and non-working days


def anomalies(*, grant: AuditAccessGrant, since: datetime, until: datetime) -> dict[str, list]:
    """What a periodic review should look at: repeated failed logins per user
    name, and administrators' activity outside working hours."""
    scoped = events_visible(grant=grant, filters=EventFilters(since=since, until=until))
    failed = list(
        scoped.filter(action="accounts.login.failed", outcome=Outcome.FAILURE)
        .values("actor_username")
        .annotate(count=Count("id"))
        .filter(count__gte=FAILED_LOGIN_THRESHOLD)
        .order_by("-count")[:100]
    )
    admin_events = scoped.filter(actor__groups__role__key__in=SEPARATED_ADMIN_ROLES).distinct()
    calendar = load_calendar()  # statutory holidays are off-hours; 调休 Saturdays are not
    off_hours = []
    for event in admin_events.iterator(chunk_size=2000):
        local = timezone.localtime(event.time)
        if not calendar.is_working_day(local.date()) or not (WORK_START <= local.hour < WORK_END):
            off_hours.append(event)
            if len(off_hours) >= 200:
                break
    return {"failed_logins": failed, "off_hours": off_hours}


def default_review_period() -> tuple[datetime, datetime]:
    now = timezone.now()
    return now - timedelta(days=7), now
