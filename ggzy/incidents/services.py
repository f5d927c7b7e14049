"""Writes of incident response (网络信息安全故障应急预案): alerts promoted or dismissed,
incidents opened. Every write validates, then records to the audit chain in the
same transaction."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.accounts.models import User
from ggzy.audit import services as audit
from ggzy.core.snapshots import snapshot

from .choices import AlertStatus, IncidentType, Severity
from .models import Alert, Incident
from .permissions import can_dismiss, can_respond

__all__ = ["alert_dismiss", "alert_promote", "incident_open"]

INCIDENT_FIELDS = (
    "title",
    "incident_type",
    "severity",
    "status",
    "description",
    "affected_systems",
    "detected_at",
    "owner",
    "is_drill",
)


def incident_snapshot(incident: Incident) -> dict:
    return snapshot(incident, INCIDENT_FIELDS)


def _require_responder(actor: User) -> None:
    if not can_respond(actor):
        raise PermissionDenied(
            _("只有安全管理员、系统管理员、网络管理员、网站管理员、机房管理员或监控管理员可以处置安全事件。")
        )


@transaction.atomic
def incident_open(
    *,
    actor: User,
    title: str,
    incident_type: str,
    severity: str = Severity.GENERAL,
    detected_at: datetime | None = None,
    description: str = "",
    affected_systems: str = "",
    owner: User | None = None,
    is_drill: bool = False,
) -> Incident:
    """Open an incident (第八条: the 5-minute clock runs from ``detected_at``)."""
    _require_responder(actor)
    if not title.strip():
        raise ValidationError(_("请填写事件标题。"))
    if incident_type not in IncidentType.values:
        raise ValidationError(_("请选择事件类型。"))
    if severity not in Severity.values:
        raise ValidationError(_("请选择事件级别。"))
    now = timezone.now()
    detected_at = detected_at or now
    if detected_at > now:
        raise ValidationError(_("发现时间不能晚于现在。"))
    incident = Incident.objects.create(
        title=title.strip()[:200],
        incident_type=incident_type,
        severity=severity,
        detected_at=detected_at,
        description=description.strip(),
        affected_systems=affected_systems.strip(),
        reporter=actor,
        owner=owner or actor,
        is_drill=is_drill,
    )
    audit.record(
        action="incidents.incident.opened", actor=actor, obj=incident, after=incident_snapshot(incident)
    )
    return incident


def _open_alert(alert: Alert) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != AlertStatus.OPEN:
        raise ValidationError(_("该告警已处理（%(status)s）。") % {"status": alert.get_status_display()})
    return alert


@transaction.atomic
def alert_promote(
    *,
    alert: Alert,
    actor: User,
    incident: Incident | None = None,
    title: str = "",
    incident_type: str = "",
    severity: str = "",
) -> Incident:
    """A person promotes an alert to an incident (a new one, detected when the alert
    was first seen; or attaches it to an open ``incident``)."""
    _require_responder(actor)
    alert = _open_alert(alert)
    if incident is None:
        incident = incident_open(
            actor=actor,
            title=title or alert.title,
            incident_type=incident_type or alert.incident_type,
            severity=severity or alert.severity,
            detected_at=alert.first_seen,
            description=alert.detail,
            is_drill=False,
        )
    elif incident.is_finished:
        raise ValidationError(_("该安全事件已关闭，不能再关联告警。"))
    alert.status = AlertStatus.PROMOTED
    alert.incident = incident
    alert.decided_at = timezone.now()
    alert.decided_by = actor
    alert.save(update_fields=["status", "incident", "decided_at", "decided_by"])
    audit.record(action="incidents.alert.promoted", actor=actor, obj=alert, incident=incident.pk)
    return incident


@transaction.atomic
def alert_dismiss(*, alert: Alert, actor: User, reason: str) -> Alert:
    """The 安全管理员 dismisses an alert (a false positive, a planned change), with a reason."""
    if not can_dismiss(actor):
        raise PermissionDenied(_("只有安全管理员可以忽略告警。"))
    if not reason.strip():
        raise ValidationError(_("请填写忽略告警的原因。"))
    alert = _open_alert(alert)
    alert.status = AlertStatus.DISMISSED
    alert.dismiss_reason = reason.strip()
    alert.decided_at = timezone.now()
    alert.decided_by = actor
    alert.save(update_fields=["status", "dismiss_reason", "decided_at", "decided_by"])
    audit.record(action="incidents.alert.dismissed", actor=actor, obj=alert, reason=alert.dismiss_reason)
    return alert
