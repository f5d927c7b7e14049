"""Alerts: the public interface ggzy's monitors raise into (网络信息安全故障应急预案
第八条: 发生信息网络突发事件后…报告; 网络机房管理制度 一(四): 如发现病毒或受到黑客攻击…并向主管部门汇报).

Modules above ``incidents`` in the layer contract (sitebuild, facility, network,
vulns, backup, …) call :func:`raise_alert` / :func:`resolve_alert` directly;
modules below it (audit, accounts, screening, ingest) cannot import incidents,
so ``receivers.py`` listens to their signals and raises for them.

``source`` names the raising module, ``key`` the cause within it. An open alert
with the same (source, key) is grouped: its count and last_seen go up and the
new detail is appended — one alert per cause, never a flood. A person promotes
an open alert to an incident or dismisses it with a reason (``services``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from functools import partial

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.accounts.choices import RoleKey
from ggzy.audit import services as audit
from ggzy.core.base_url import absolute
from ggzy.core.branding import mail_subject

from .choices import SEVERITY_RANK, AlertStatus, IncidentType, Severity
from .models import Alert, Contact

__all__ = ["Alert", "IncidentType", "Severity", "alert_recipients", "raise_alert", "resolve_alert"]

logger = logging.getLogger("ggzy.incidents")

DETAIL_CAP = 20_000  # characters of grouped detail kept on one alert (the newest)
LINKS_CAP = 20
ALERT_ROLES = (RoleKey.SECURITY_ADMIN,)


def _stamp(when: datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M:%S")


def _append(existing: str, when: datetime, detail: str) -> str:
    line = f"[{_stamp(when)}] {detail.strip()}" if detail.strip() else ""
    if not line:
        return existing
    text = f"{existing}\n{line}" if existing else line
    return text[-DETAIL_CAP:]


def _links(existing: Sequence[Sequence[str]], new: Sequence[tuple[str, str]]) -> list[list[str]]:
    merged = [list(link) for link in existing]
    for label, url in new:
        if [str(label), str(url)] not in merged:
            merged.append([str(label), str(url)])
    return merged[:LINKS_CAP]


def _validate(source: str, key: str, title: str, incident_type: str, severity: str) -> None:
    # Programming errors of the raising module: fail loudly in its tests.
    if not source or not source.replace("_", "").isalnum() or len(source) > 40:
        raise ValueError(f"alert source must be a short module name, got {source!r}")
    if not key or len(key) > 200:
        raise ValueError(f"alert key must be 1-200 characters, got {key!r}")
    if not title.strip():
        raise ValueError("alert title must not be empty")
    if incident_type not in IncidentType.values:
        raise ValueError(f"unknown incident type {incident_type!r}")
    if severity not in Severity.values:
        raise ValueError(f"unknown severity {severity!r}")


def raise_alert(
    *,
    source: str,
    key: str,
    title: str,
    incident_type: str,
    severity: str = Severity.GENERAL,
    detail: str = "",
    links: Sequence[tuple[str, str]] = (),
    occurred_at: datetime | None = None,
) -> Alert:
    """Raise (or group onto the open) alert for ``(source, key)``, audited in the
    caller's transaction; a new alert is e-mailed after commit to the 安全管理员 and
    the on-duty contacts (第十条)."""
    _validate(source, key, title, incident_type, severity)
    when = occurred_at or timezone.now()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return _raise(source, key, title, incident_type, severity, detail, links, when)
        except IntegrityError:
            # Another writer opened the same cause between our read and insert: group onto it.
            continue
    raise RuntimeError(f"could not raise alert {source}/{key}")  # pragma: no cover


def _raise(source, key, title, incident_type, severity, detail, links, when) -> Alert:
    alert = Alert.objects.select_for_update().filter(source=source, key=key, status=AlertStatus.OPEN).first()
    if alert is not None:
        alert.count += 1
        alert.last_seen = max(alert.last_seen, when)
        alert.detail = _append(alert.detail, when, detail)
        alert.links = _links(alert.links, links)
        if SEVERITY_RANK[severity] > SEVERITY_RANK[alert.severity]:
            alert.severity = severity
        alert.save(update_fields=["count", "last_seen", "detail", "links", "severity"])
        audit.record(
            action="incidents.alert.repeated",
            obj=alert,
            source=source,
            key=key,
            count=alert.count,
            detail=detail[:500],
        )
        return alert
    alert = Alert.objects.create(
        source=source,
        key=key,
        title=title.strip()[:200],
        incident_type=incident_type,
        severity=severity,
        detail=_append("", when, detail),
        links=_links([], links),
        first_seen=when,
        last_seen=when,
    )
    audit.record(
        action="incidents.alert.raised",
        obj=alert,
        source=source,
        key=key,
        incident_type=incident_type,
        severity=severity,
        detail=detail[:500],
    )
    logger.warning("alert raised: %s/%s %s", source, key, title)
    transaction.on_commit(partial(_notify, alert.pk), robust=True)
    return alert


def resolve_alert(*, source: str, key: str, detail: str = "") -> Alert | None:
    """Mark the open alert for ``(source, key)`` recovered (e.g. a threshold back to
    normal); ``None`` when there is none. Audited in the caller's transaction."""
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update().filter(source=source, key=key, status=AlertStatus.OPEN).first()
        )
        if alert is None:
            return None
        now = timezone.now()
        alert.status = AlertStatus.RECOVERED
        alert.recovered_at = now
        alert.detail = _append(alert.detail, now, detail or _("已恢复正常"))
        alert.save(update_fields=["status", "recovered_at", "detail"])
        audit.record(
            action="incidents.alert.recovered", obj=alert, source=source, key=key, detail=detail[:500]
        )
        return alert


# --------------------------------------------------------------------------- notification


def alert_recipients() -> list[str]:
    """The 安全管理员 and the on-duty contacts of the roster (第十条)."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__role__key__in=ALERT_ROLES)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    duty = Contact.objects.filter(active=True, on_duty=True).exclude(email="").values_list("email", flat=True)
    return sorted(set(users) | set(duty))


def alert_message(alert: Alert) -> str:
    lines = [
        _("%(time)s 监测到：%(title)s") % {"time": _stamp(alert.first_seen), "title": alert.title},
        _("来源：%(source)s；类型：%(type)s；级别：%(severity)s")
        % {
            "source": alert.source,
            "type": alert.get_incident_type_display(),
            "severity": alert.get_severity_display(),
        },
    ]
    if alert.detail:
        lines += ["", alert.detail[-2000:]]
    for label, url in alert.links:
        lines.append(f"{label}: {absolute(url)}")
    lines += [
        "",
        _("请在管理后台“告警”中处理（转为安全事件或说明原因后忽略）：%(url)s")
        % {"url": absolute(f"/admin/incidents/alerts/{alert.pk}/")},
        _("按网络信息安全故障应急预案第八条，发生突发事件后应在 5 分钟内向网络与信息安全领导小组报告。"),
    ]
    return "\n".join(lines)


def _notify(alert_pk: int) -> None:
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert_pk)
        recipients = alert_recipients()
        if recipients:
            send_mail(
                mail_subject(_("【安全告警】%(title)s") % {"title": alert.title}),
                alert_message(alert),
                None,
                recipients,
            )
        alert.notified_to = recipients
        alert.save(update_fields=["notified_to"])
        audit.record(
            action="incidents.alert.notified",
            outcome="success" if recipients else "failure",
            obj=alert,
            recipients=recipients,
            channel="email",
        )
