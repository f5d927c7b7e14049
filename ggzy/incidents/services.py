"""Writes of incident response (网络信息安全故障应急预案): alerts promoted or dismissed,
incidents opened. Every write validates, then records to the audit chain in the
same transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import User
from ggzy.audit import services as audit
from ggzy.audit.choices import Outcome
from ggzy.audit.models import AuditEvent
from ggzy.core.base_url import admin_base_url
from ggzy.core.snapshots import snapshot
from ggzy.ingest.uploads import validate_upload

from . import notify
from .actions import action_for
from .choices import (
    SEVERITY_RANK,
    AlertStatus,
    ContactGroup,
    IncidentStatus,
    IncidentType,
    NotificationChannel,
    ReportBody,
    ReportChannel,
    ReportKind,
    Severity,
    TimelineKind,
)
from .links import link_kind
from .models import (
    REPORT_WITHIN,
    Alert,
    Contact,
    Evidence,
    FollowUpAction,
    Incident,
    IncidentReport,
    InvestigationReport,
    Notification,
    PlaybookStep,
    TimelineEntry,
)
from .permissions import can_dismiss, can_respond
from .playbooks import PLAYBOOKS

__all__ = [
    "alert_dismiss",
    "alert_promote",
    "evidence_add",
    "follow_up_add",
    "follow_up_done",
    "incident_close",
    "incident_mark_error",
    "incident_note",
    "incident_notify",
    "incident_open",
    "incident_report_record",
    "incident_set_status",
    "incident_update",
    "incidents_mark_late",
    "investigation_save",
    "investigation_sign_off",
    "notification_acknowledge",
    "notifications_escalate",
    "playbook_action_run",
    "step_complete",
]

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
    "links",
    "audit_event_seqs",
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
    PlaybookStep.objects.bulk_create(
        PlaybookStep(
            incident=incident,
            order=n,
            clause=spec.clause,
            text=str(spec.text),
            action_keys=list(spec.actions),
        )
        for n, spec in enumerate(PLAYBOOKS[incident_type], start=1)
    )
    _timeline(
        incident,
        TimelineKind.OPENED,
        _("登记安全事件：%(title)s（%(type)s，%(severity)s）")
        % {
            "title": incident.title,
            "type": incident.get_incident_type_display(),
            "severity": incident.get_severity_display(),
        },
        actor=actor,
    )
    audit.record(
        action="incidents.incident.opened", actor=actor, obj=incident, after=incident_snapshot(incident)
    )
    # 第八条: the 领导小组 is told at once by the platform (after commit: nothing is sent
    # for an incident that was rolled back).
    transaction.on_commit(partial(_notify_after_commit, incident.pk, actor.pk), robust=True)
    return incident


def _open_alert(alert: Alert) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    # A recovered alert (e.g. a tamper finding restored automatically) may still be promoted.
    if alert.status not in (AlertStatus.OPEN, AlertStatus.RECOVERED):
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
    _timeline(
        incident,
        TimelineKind.ALERT,
        _("关联告警：[%(source)s] %(title)s（%(count)d 次）")
        % {"source": alert.source, "title": alert.title, "count": alert.count},
        actor=actor,
        alert=alert.pk,
    )
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


# --------------------------------------------------------------------------- the record


def _timeline(incident: Incident, kind: str, text: str, *, actor: User | None = None, at=None, **data):
    return TimelineEntry.objects.create(
        incident=incident, kind=kind, text=text, actor=actor, at=at or timezone.now(), data=data
    )


def _locked(incident: Incident, *, allow_finished: bool = False) -> Incident:
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.is_finished and not allow_finished:
        raise ValidationError(_("该安全事件已关闭，不能再修改。"))
    return incident


def resolve_links(refs: Sequence[tuple[str, str]]) -> list[dict]:
    """(kind, key) pairs → the stored links, each looked up by its module (links.py);
    one that is not found refuses the whole change."""
    out, seen = [], set()
    for kind_key, key in refs:
        key = str(key).strip()
        kind = link_kind(kind_key)
        if kind is None:
            raise ValueError(f"unknown link kind {kind_key!r}")
        if not key or (kind_key, key) in seen:
            continue
        seen.add((kind_key, key))
        found = kind.resolve(key)
        if found is None:
            raise ValidationError(_("找不到%(label)s：%(key)s") % {"label": kind.label, "key": key})
        out.append({"kind": kind_key, "key": key, "label": found[0], "url": found[1]})
    return out


def _existing_audit_events(seqs: Sequence[int]) -> list[int]:
    seqs = sorted({int(i) for i in seqs})
    found = set(AuditEvent.objects.filter(seq__in=seqs).values_list("seq", flat=True))
    if missing := [i for i in seqs if i not in found]:
        raise ValidationError(
            _("没有序号为 %(ids)s 的审计事件。") % {"ids": "、".join(str(i) for i in missing)}
        )
    return seqs


@transaction.atomic
def incident_update(*, incident: Incident, actor: User, **changes) -> Incident:
    """Change the title, type, severity, description, affected systems or owner."""
    _require_responder(actor)
    incident = _locked(incident)
    allowed = {
        "title",
        "severity",
        "description",
        "affected_systems",
        "owner",
        "incident_type",
        "links",
        "audit_event_seqs",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    if "severity" in changes and changes["severity"] not in Severity.values:
        raise ValidationError(_("请选择事件级别。"))
    if "incident_type" in changes and changes["incident_type"] not in IncidentType.values:
        raise ValidationError(_("请选择事件类型。"))
    if "title" in changes and not str(changes["title"]).strip():
        raise ValidationError(_("请填写事件标题。"))
    if "links" in changes:
        changes["links"] = resolve_links(changes["links"])
    if "audit_event_seqs" in changes:
        changes["audit_event_seqs"] = _existing_audit_events(changes["audit_event_seqs"])
    before = incident_snapshot(incident)
    for name, value in changes.items():
        setattr(incident, name, value)
    incident.save()
    after = incident_snapshot(incident)
    changed = {k: after[k] for k in after if after[k] != before[k]}
    if not changed:
        return incident
    _timeline(
        incident,
        TimelineKind.CHANGED,
        _("修改：%(fields)s")
        % {"fields": "、".join(str(Incident._meta.get_field(k).verbose_name) for k in changed)},
        actor=actor,
        **changed,
    )
    audit.record(action="incidents.incident.updated", actor=actor, obj=incident, before=before, after=after)
    if "severity" in changed and SEVERITY_RANK[incident.severity] >= SEVERITY_RANK[Severity.MAJOR]:
        # 第八条: 发生重大事件应向网络与信息安全应急领导小组报告.
        transaction.on_commit(partial(_notify_after_commit, incident.pk, actor.pk), robust=True)
    return incident


_STATUS_ORDER = [IncidentStatus.OPEN, IncidentStatus.CONTAINED, IncidentStatus.RECOVERED]


@transaction.atomic
def incident_set_status(*, incident: Incident, actor: User, status: str, note: str = "") -> Incident:
    """open → contained → recovered (closing is ``incident_close``)."""
    _require_responder(actor)
    incident = _locked(incident)
    if status not in _STATUS_ORDER:
        raise ValidationError(_("只能改为处置中、已控制或已恢复；关闭请提交调查报告。"))
    if _STATUS_ORDER.index(status) <= _STATUS_ORDER.index(incident.status):
        raise ValidationError(_("状态只能向前推进。"))
    before = incident.status
    now = timezone.now()
    incident.status = status
    if status in (IncidentStatus.CONTAINED, IncidentStatus.RECOVERED) and incident.contained_at is None:
        incident.contained_at = now
    if status == IncidentStatus.RECOVERED:
        incident.recovered_at = now
    incident.save(update_fields=["status", "contained_at", "recovered_at"])
    _timeline(
        incident,
        TimelineKind.STATUS,
        _("状态：%(status)s。%(note)s") % {"status": incident.get_status_display(), "note": note},
        actor=actor,
    )
    audit.record(
        action="incidents.incident.status_changed",
        actor=actor,
        obj=incident,
        before={"status": before},
        after={"status": status},
        note=note,
    )
    return incident


@transaction.atomic
def incident_note(*, incident: Incident, actor: User, text: str) -> TimelineEntry:
    _require_responder(actor)
    incident = _locked(incident)
    if not text.strip():
        raise ValidationError(_("请填写记录内容。"))
    entry = _timeline(incident, TimelineKind.NOTE, text.strip(), actor=actor)
    audit.record(action="incidents.incident.noted", actor=actor, obj=incident, text=text.strip()[:500])
    return entry


# --------------------------------------------------------------------------- 第八条: the report clock


def _late(incident: Incident, when: datetime) -> bool:
    return when > incident.detected_at + REPORT_WITHIN


def _first_report(incident: Incident, when: datetime) -> None:
    if incident.first_reported_at is None or when < incident.first_reported_at:
        incident.first_reported_at = when
        incident.report_late = _late(incident, when)
        incident.save(update_fields=["first_reported_at", "report_late"])


@transaction.atomic
def incident_report_record(
    *,
    incident: Incident,
    actor: User,
    channel: str,
    recipients: str,
    body: str = ReportBody.LEADERSHIP,
    reported_at: datetime | None = None,
    note: str = "",
) -> IncidentReport:
    """第八条: record that (and how, when, to whom) the 领导小组 was told. A first report
    after detected_at + 5 minutes flags the incident late."""
    _require_responder(actor)
    incident = _locked(incident, allow_finished=False)
    if channel not in ReportChannel.values:
        raise ValidationError(_("请选择报告方式。"))
    if body not in ReportBody.values:
        raise ValidationError(_("请选择报告对象。"))
    if not recipients.strip():
        raise ValidationError(_("请填写向谁报告。"))
    now = timezone.now()
    reported_at = reported_at or now
    if reported_at > now:
        raise ValidationError(_("报告时间不能晚于现在。"))
    if reported_at < incident.detected_at:
        raise ValidationError(_("报告时间不能早于发现时间。"))
    report = IncidentReport.objects.create(
        incident=incident,
        body=body,
        reported_at=reported_at,
        reported_by=actor,
        recipients=recipients.strip()[:300],
        channel=channel,
        note=note.strip(),
        within_clock=not _late(incident, reported_at),
    )
    if body == ReportBody.LEADERSHIP:
        _first_report(incident, reported_at)
    minutes = (reported_at - incident.detected_at).total_seconds() / 60
    _timeline(
        incident,
        TimelineKind.REPORT,
        _("向%(body)s报告（%(channel)s，%(recipients)s），发现后 %(minutes).1f 分钟%(late)s")
        % {
            "body": report.get_body_display(),
            "channel": report.get_channel_display(),
            "recipients": report.recipients,
            "minutes": minutes,
            "late": "" if report.within_clock else _("，超过 5 分钟时限"),
        },
        actor=actor,
        at=reported_at,
        report=report.pk,
    )
    audit.record(
        action="incidents.incident.reported",
        actor=actor,
        obj=incident,
        body=body,
        channel=channel,
        recipients=report.recipients,
        reported_at=reported_at,
        within_clock=report.within_clock,
    )
    return report


@transaction.atomic
def incidents_mark_late(*, now: datetime | None = None) -> list[Incident]:
    """The clock ran out with no report: flag the incident (periodic, every minute)."""
    now = now or timezone.now()
    late = list(
        Incident.objects.select_for_update()
        .filter(
            first_reported_at__isnull=True,
            report_late=False,
            detected_at__lt=now - REPORT_WITHIN,
        )
        .exclude(status=IncidentStatus.ERROR)
    )
    for incident in late:
        incident.report_late = True
        incident.save(update_fields=["report_late"])
        _timeline(incident, TimelineKind.REPORT, _("5 分钟内未向领导小组报告（第八条），已标记超时"))
        audit.record(action="incidents.incident.report_late", obj=incident, outcome=Outcome.FAILURE)
    return late


# --------------------------------------------------------------------------- notifications


def _contacts(*groups: str) -> list[Contact]:
    return list(Contact.objects.filter(active=True, group__in=groups))


ACK_SALT = "ggzy.incidents.ack"


def ack_token(notification: Notification) -> str:
    """The acknowledge link's token: the notification signed (stays valid across re-sends)."""
    return signing.dumps(notification.pk, salt=ACK_SALT, compress=True)


def _ack_url(notification: Notification) -> str:
    return f"{admin_base_url()}/api/incidents/ack/{ack_token(notification)}/"


def _deliver(notification: Notification, contacts: list[Contact], *, escalated: bool) -> None:
    """Send one notification on its channel; record recipients, payload and the outcome."""
    values = notify.message_values(
        notification.incident, contacts, _ack_url(notification), escalated=escalated
    )
    if notification.channel == NotificationChannel.EMAIL:
        notification.recipients = sorted({c.email for c in contacts if c.email})
        notification.payload = {"subject": values["title"], "url": values["url"]}
        delivered, error = notify.send_email(values, notification.recipients)
    else:
        notification.recipients = sorted({c.phone for c in contacts if c.phone})
        notification.payload = notify.webhook_payload(values)
        delivered, error = notify.send_webhook(notification.payload)
    notification.delivered, notification.last_error = delivered, error


@transaction.atomic
def incident_notify(
    *, incident: Incident, actor: User | None = None, escalated: bool = False
) -> list[Notification]:
    """Send the incident to the 领导小组 by e-mail and, when configured, by the webhook;
    重大 and above (or an escalation) to the 应急领导小组 as well (第八条). A delivered
    notification counts as the report to the 领导小组."""
    if actor is not None:
        _require_responder(actor)
    incident = _locked(incident)
    groups = [ContactGroup.LEADERSHIP]
    if escalated or SEVERITY_RANK[incident.severity] >= SEVERITY_RANK[Severity.MAJOR]:
        groups.append(ContactGroup.EMERGENCY)
    contacts = _contacts(*groups)
    channels = [NotificationChannel.EMAIL]
    if settings.INCIDENT_WEBHOOK_URL:
        channels.append(NotificationChannel.WEBHOOK)
    sent = []
    now = timezone.now()
    for channel in channels:
        notification = Notification.objects.create(
            incident=incident,
            channel=channel,
            sent_at=now,
            last_sent_at=now,
            escalated_at=now if escalated else None,
        )
        _deliver(notification, contacts, escalated=escalated)
        notification.save()
        delivered, error, recipients = (
            notification.delivered,
            notification.last_error,
            notification.recipients,
        )
        sent.append(notification)
        _timeline(
            incident,
            TimelineKind.NOTIFICATION,
            _("%(channel)s通知%(groups)s：%(to)s%(result)s")
            % {
                "channel": notification.get_channel_display(),
                "groups": "、".join(str(ContactGroup(g).label) for g in groups),
                "to": "、".join(c.name for c in contacts) or _("（名册为空）"),
                "result": "" if delivered else _("，发送失败：%(error)s") % {"error": error},
            },
            actor=actor,
            notification=notification.pk,
        )
        audit.record(
            action="incidents.notification.sent",
            actor=actor,
            obj=incident,
            outcome=Outcome.SUCCESS if delivered else Outcome.FAILURE,
            channel=channel,
            recipients=recipients,
            escalated=escalated,
            error=error,
        )
        if delivered and ContactGroup.LEADERSHIP in groups and contacts:
            leaders = [c for c in contacts if c.group == ContactGroup.LEADERSHIP]
            if leaders:
                IncidentReport.objects.create(
                    incident=incident,
                    body=ReportBody.LEADERSHIP,
                    reported_at=now,
                    reported_by=actor or incident.reporter,
                    recipients="、".join(c.name for c in leaders)[:300],
                    channel=ReportChannel.EMAIL
                    if channel == NotificationChannel.EMAIL
                    else ReportChannel.WEBHOOK,
                    note=_("平台自动通知"),
                    within_clock=not _late(incident, now),
                )
                _first_report(incident, now)
    return sent


def _notify_after_commit(incident_pk: int, actor_pk: int | None) -> None:
    incident = Incident.objects.get(pk=incident_pk)
    actor = User.objects.filter(pk=actor_pk).first() if actor_pk else None
    incident_notify(incident=incident, actor=None if actor is None else actor if can_respond(actor) else None)


@transaction.atomic
def notification_acknowledge(*, token: str, by: str = "") -> Notification | None:
    """A recipient confirms receipt (the link in the message); None for an unknown token."""
    try:
        pk = signing.loads(token, salt=ACK_SALT)
    except signing.BadSignature:
        return None
    notification = Notification.objects.select_for_update().filter(pk=pk).first()
    if notification is None:
        return None
    if notification.acknowledged_at is None:
        notification.acknowledged_at = timezone.now()
        notification.acknowledged_by = by.strip()[:150]
        notification.save(update_fields=["acknowledged_at", "acknowledged_by"])
        _timeline(
            notification.incident,
            TimelineKind.ACKNOWLEDGED,
            _("%(channel)s通知已确认收到%(by)s")
            % {
                "channel": notification.get_channel_display(),
                "by": f"（{notification.acknowledged_by}）" if notification.acknowledged_by else "",
            },
            notification=notification.pk,
        )
        audit.record(
            action="incidents.notification.acknowledged",
            obj=notification.incident,
            channel=notification.channel,
            by=notification.acknowledged_by,
        )
    return notification


@transaction.atomic
def notifications_escalate(*, now: datetime | None = None) -> list[Notification]:
    """Notifications not acknowledged within INCIDENT_ACK_MINUTES: re-sent, now also to
    the 应急领导小组 (escalated), up to INCIDENT_MAX_SENDS times."""
    now = now or timezone.now()
    due = list(
        Notification.objects.select_for_update()
        .select_related("incident")
        .filter(
            acknowledged_at__isnull=True,
            last_sent_at__lte=now - timedelta(minutes=settings.INCIDENT_ACK_MINUTES),
            attempts__lt=settings.INCIDENT_MAX_SENDS,
        )
        .exclude(incident__status__in=[IncidentStatus.CLOSED, IncidentStatus.ERROR])
    )
    for notification in due:
        incident = notification.incident
        contacts = _contacts(ContactGroup.LEADERSHIP, ContactGroup.EMERGENCY)
        _deliver(notification, contacts, escalated=True)
        delivered, error, recipients = (
            notification.delivered,
            notification.last_error,
            notification.recipients,
        )
        notification.attempts += 1
        notification.last_sent_at = now
        notification.escalated_at = notification.escalated_at or now
        notification.save()
        _timeline(
            incident,
            TimelineKind.ESCALATED,
            _("%(minutes)d 分钟未确认：第 %(n)d 次%(channel)s通知，升级至应急领导小组%(result)s")
            % {
                "minutes": settings.INCIDENT_ACK_MINUTES,
                "n": notification.attempts,
                "channel": notification.get_channel_display(),
                "result": "" if delivered else _("，发送失败：%(error)s") % {"error": error},
            },
            notification=notification.pk,
        )
        audit.record(
            action="incidents.notification.escalated",
            obj=incident,
            outcome=Outcome.SUCCESS if delivered else Outcome.FAILURE,
            channel=notification.channel,
            attempts=notification.attempts,
            recipients=recipients,
        )
    return due


# --------------------------------------------------------------------------- playbook


@transaction.atomic
def step_complete(*, step: PlaybookStep, actor: User, note: str = "") -> PlaybookStep:
    """Mark a playbook step done: who, when, note."""
    _require_responder(actor)
    _locked(step.incident)
    step = PlaybookStep.objects.select_for_update().get(pk=step.pk)
    if step.done_at is not None:
        raise ValidationError(_("该步骤已完成。"))
    step.done_at = timezone.now()
    step.done_by = actor
    step.note = note.strip()
    step.save(update_fields=["done_at", "done_by", "note"])
    _timeline(
        step.incident,
        TimelineKind.STEP,
        _("完成步骤 %(order)d：%(text)s%(note)s")
        % {"order": step.order, "text": step.text, "note": f"（{step.note}）" if step.note else ""},
        actor=actor,
        step=step.pk,
    )
    audit.record(
        action="incidents.step.completed", actor=actor, obj=step.incident, step=step.order, note=step.note
    )
    return step


def playbook_action_run(
    *, incident: Incident, key: str, actor: User, reason: str, confirmed: bool, target: str = ""
) -> str:
    """Run a registered playbook action (lock an account, restore the site, revoke an
    API token, …): needs a confirmation, one of the action's roles and a reason;
    audited with its outcome (a refusal too)."""
    action = action_for(key)
    if action is None:
        raise ValidationError(_("未知的平台操作：%(key)s") % {"key": key})
    try:
        with transaction.atomic():
            locked = _locked(incident)
            if not (actor.is_active and actor.role_keys() & action.roles):
                raise PermissionDenied(
                    _("只有%(roles)s可以执行“%(label)s”。")
                    % {
                        "roles": "、".join(str(RoleKey(r).label) for r in sorted(action.roles)),
                        "label": action.label,
                    }
                )
            if not confirmed:
                raise ValidationError(_("请确认后再执行“%(label)s”。") % {"label": action.label})
            if not reason.strip():
                raise ValidationError(_("请填写执行“%(label)s”的原因。") % {"label": action.label})
            if action.target_label and not action.target_optional and not target.strip():
                raise ValidationError(_("请填写%(what)s。") % {"what": action.target_label})
            result = action.fn(incident=locked, actor=actor, reason=reason.strip(), target=target.strip())
            _timeline(
                locked,
                TimelineKind.ACTION,
                _("执行“%(label)s”：%(result)s（原因：%(reason)s）")
                % {"label": action.label, "result": result, "reason": reason.strip()},
                actor=actor,
                action=key,
                target=target.strip(),
            )
            audit.record(
                action="incidents.action.run",
                actor=actor,
                obj=locked,
                key=key,
                target=target.strip(),
                reason=reason.strip(),
                result=result,
            )
            return result
    except (PermissionDenied, ValidationError) as exc:
        with transaction.atomic():
            audit.record(
                action="incidents.action.refused",
                actor=actor,
                obj=incident,
                outcome=Outcome.FAILURE,
                key=key,
                target=target.strip(),
                reason=reason.strip(),
                error=str(exc)[:300],
            )
        raise


# --------------------------------------------------------------------------- evidence


@transaction.atomic
def evidence_add(
    *, incident: Incident, actor: User, files: Sequence, description: str = ""
) -> list[Evidence]:
    """Attach evidence through the platform's upload gate (type by content, size, zip
    safety); stored with its SHA-256 and who added it. Screening findings are kept, not
    blocking: evidence of 不良信息 contains exactly what screening looks for."""
    _require_responder(actor)
    incident = _locked(incident, allow_finished=True)
    if not files:
        raise ValidationError(_("请选择证据文件。"))
    checked = [(upload, validate_upload(upload, block=False)) for upload in files]
    added = []
    for upload, result in checked:
        upload.seek(0)
        evidence = Evidence.objects.create(
            incident=incident,
            file=upload,
            name=result.name[:255],
            content_type=result.kind,
            size=result.size,
            sha256=result.sha256,
            description=description.strip()[:300],
            screening_findings=[str(f) for f in result.findings][:50],
            added_by=actor,
        )
        added.append(evidence)
        _timeline(
            incident,
            TimelineKind.EVIDENCE,
            _("添加证据 %(name)s（SHA-256 %(sha)s）") % {"name": evidence.name, "sha": evidence.sha256},
            actor=actor,
            evidence=evidence.pk,
        )
        audit.record(
            action="incidents.evidence.added",
            actor=actor,
            obj=incident,
            name=evidence.name,
            sha256=evidence.sha256,
            size=evidence.size,
        )
    return added


# --------------------------------------------------------------------------- 第九条: 善后处置

INVESTIGATION_FIELDS = (
    "investigators",
    "cause",
    "nature",
    "impact",
    "consequences",
    "responsibility",
    "response_capability",
    "recovery",
    "lessons",
)


def leadership_lead() -> User | None:
    """The 领导小组 lead (第九条 sign-off): the roster's lead with a platform account."""
    contact = (
        Contact.objects.filter(group=ContactGroup.LEADERSHIP, is_lead=True, active=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    return contact.user if contact else None


@transaction.atomic
def investigation_save(
    *, incident: Incident, actor: User, kind: str = ReportKind.INVESTIGATION, **text
) -> InvestigationReport:
    """Write (or rewrite, until signed off) the investigation report (第九条)."""
    _require_responder(actor)
    incident = _locked(incident)
    if kind not in ReportKind.values:
        raise ValidationError(_("请选择报告类型。"))
    missing = [
        str(InvestigationReport._meta.get_field(f).verbose_name)
        for f in INVESTIGATION_FIELDS
        if not str(text.get(f, "")).strip()
    ]
    if missing:
        raise ValidationError(_("调查报告缺少：%(fields)s。") % {"fields": "、".join(missing)})
    report = InvestigationReport.objects.select_for_update().filter(incident=incident).first()
    if report is not None and report.signed_off_at is not None:
        raise ValidationError(_("调查报告已签批，不能再修改。"))
    values = {f: str(text[f]).strip() for f in INVESTIGATION_FIELDS}
    if report is None:
        report = InvestigationReport(incident=incident)
    for name, value in values.items():
        setattr(report, name, value)
    report.kind = kind
    report.written_by = actor
    report.written_at = timezone.now()
    report.save()
    _timeline(
        incident,
        TimelineKind.INVESTIGATION,
        _("提交%(kind)s") % {"kind": report.get_kind_display()},
        actor=actor,
    )
    audit.record(action="incidents.investigation.saved", actor=actor, obj=incident, kind=kind)
    return report


@transaction.atomic
def investigation_sign_off(*, incident: Incident, actor: User) -> InvestigationReport:
    """The 领导小组 lead signs the report off: its PDF is rendered and kept with its SHA-256."""
    from .reports import investigation_pdf

    incident = _locked(incident)
    report = InvestigationReport.objects.select_for_update().filter(incident=incident).first()
    if report is None:
        raise ValidationError(_("尚未提交调查报告。"))
    if report.signed_off_at is not None:
        raise ValidationError(_("调查报告已签批。"))
    lead = leadership_lead()
    if lead is None or lead.pk != actor.pk:
        raise PermissionDenied(_("调查报告须由网络与信息安全领导小组组长签批（应急联系人名册中的组长）。"))
    if incident.follow_ups.count() == 0:
        raise ValidationError(_("调查报告须列出整改措施（责任人和完成期限）。"))
    report.signed_off_by = actor
    report.signed_off_at = timezone.now()
    data = investigation_pdf(incident=incident, report=report)
    report.pdf_sha256 = hashlib.sha256(data).hexdigest()
    report.pdf.save(f"incident-{incident.pk}-report.pdf", ContentFile(data), save=False)
    report.save()
    _timeline(
        incident,
        TimelineKind.INVESTIGATION,
        _("领导小组组长签批调查报告（PDF SHA-256 %(sha)s）") % {"sha": report.pdf_sha256},
        actor=actor,
    )
    audit.record(
        action="incidents.investigation.signed_off", actor=actor, obj=incident, sha256=report.pdf_sha256
    )
    return report


@transaction.atomic
def follow_up_add(*, incident: Incident, actor: User, text: str, owner: User, due_on: date) -> FollowUpAction:
    _require_responder(actor)
    incident = _locked(incident)
    if not text.strip():
        raise ValidationError(_("请填写整改措施。"))
    if owner is None:
        raise ValidationError(_("请选择责任人。"))
    follow_up = FollowUpAction.objects.create(
        incident=incident, text=text.strip()[:300], owner=owner, due_on=due_on
    )
    _timeline(
        incident,
        TimelineKind.FOLLOW_UP,
        _("整改措施：%(text)s（%(owner)s，%(due)s 前）")
        % {"text": follow_up.text, "owner": owner, "due": due_on},
        actor=actor,
    )
    audit.record(
        action="incidents.follow_up.added",
        actor=actor,
        obj=incident,
        text=follow_up.text,
        owner=owner.pk,
        due_on=due_on,
    )
    return follow_up


@transaction.atomic
def follow_up_done(*, follow_up: FollowUpAction, actor: User, note: str = "") -> FollowUpAction:
    follow_up = FollowUpAction.objects.select_for_update().get(pk=follow_up.pk)
    if not (actor.pk == follow_up.owner_id or can_respond(actor)):
        raise PermissionDenied(_("只有责任人或处置人员可以完成整改措施。"))
    if follow_up.done_at is not None:
        raise ValidationError(_("该整改措施已完成。"))
    follow_up.done_at = timezone.now()
    follow_up.done_by = actor
    follow_up.done_note = note.strip()
    follow_up.save(update_fields=["done_at", "done_by", "done_note"])
    if follow_up.incident_id:
        _timeline(
            follow_up.incident,
            TimelineKind.FOLLOW_UP,
            _("整改措施已完成：%(text)s") % {"text": follow_up.text},
            actor=actor,
        )
    audit.record(action="incidents.follow_up.done", actor=actor, obj=follow_up, note=follow_up.done_note)
    return follow_up


@transaction.atomic
def incident_close(*, incident: Incident, actor: User) -> Incident:
    """Close: needs the signed-off investigation report (第九条) and a recovered incident."""
    _require_responder(actor)
    incident = _locked(incident)
    report = InvestigationReport.objects.filter(incident=incident).first()
    if report is None or report.signed_off_at is None:
        raise ValidationError(_("关闭事件前须提交调查报告并由领导小组组长签批（第九条）。"))
    if incident.status != IncidentStatus.RECOVERED:
        raise ValidationError(_("事件恢复后才能关闭。"))
    incident.status = IncidentStatus.CLOSED
    incident.closed_at = timezone.now()
    incident.closed_by = actor
    incident.save(update_fields=["status", "closed_at", "closed_by"])
    _timeline(incident, TimelineKind.CLOSED, _("关闭安全事件"), actor=actor)
    audit.record(action="incidents.incident.closed", actor=actor, obj=incident)
    return incident


@transaction.atomic
def incident_mark_error(*, incident: Incident, actor: User, reason: str) -> Incident:
    """An incident opened in error is never deleted: it is marked so, with a reason (安全管理员)."""
    if not can_dismiss(actor):
        raise PermissionDenied(_("只有安全管理员可以将事件标记为错误开立。"))
    incident = _locked(incident)
    if not reason.strip():
        raise ValidationError(_("请填写错误开立的原因。"))
    incident.status = IncidentStatus.ERROR
    incident.error_reason = reason.strip()
    incident.closed_at = timezone.now()
    incident.closed_by = actor
    incident.save(update_fields=["status", "error_reason", "closed_at", "closed_by"])
    _timeline(
        incident,
        TimelineKind.CLOSED,
        _("标记为错误开立：%(reason)s") % {"reason": incident.error_reason},
        actor=actor,
    )
    audit.record(
        action="incidents.incident.opened_in_error", actor=actor, obj=incident, reason=incident.error_reason
    )
    return incident
