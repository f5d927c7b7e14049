"""Alerts for the modules below incidents in the layer contract, which cannot call
``raise_alert``: their signals and seams, listened to here.

- an audit-chain break found by ``audit_verify`` (``ggzy.audit.signals.chain_broken``):
  应急预案 第六条 (数据被非法修改、删除), 黑客攻击, 重大;
- repeated lockouts from one network range (``accounts.events.security_event``,
  ``accounts.login.locked_out``): INCIDENT_LOCKOUT_RANGE_THRESHOLD lockouts from one
  IPv4 /24 or IPv6 /64 within INCIDENT_LOCKOUT_RANGE_MINUTES — a password-guessing
  attack (第六条, 通过入侵检测…发现有黑客正在进行攻击).

- a virus refused at the upload gate (``ggzy.ingest.malware.malware_found``): 第四条,
  不良信息和网络病毒, 较大.

(Screening's block at the intake API is raised by ``notices``, above incidents, after
the intake's transaction was rolled back.)
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.accounts.events import security_event
from ggzy.audit.models import AuditEvent
from ggzy.audit.signals import chain_broken
from ggzy.ingest.malware import malware_found

from .alerts import raise_alert
from .choices import IncidentType, Severity

LOCKOUT_ACTION = "accounts.login.locked_out"


@receiver(chain_broken, dispatch_uid="ggzy_incidents_chain_broken")
def on_chain_broken(sender, message, broken_id=None, broken_seq=None, broken_time=None, archive="", **kwargs):
    where = archive or _("数据库中的审计日志")
    raise_alert(
        source="audit",
        key=f"chain:{archive}" if archive else "chain",
        title=_("审计日志哈希链被破坏"),
        incident_type=IncidentType.ATTACK,
        severity=Severity.MAJOR,
        detail=_("%(where)s：%(message)s（事件序号 %(seq)s）")
        % {"where": where, "message": message, "seq": broken_seq if broken_seq is not None else "-"},
        links=[(_("审计日志"), "/admin/audit/events/")],
    )


@receiver(malware_found, dispatch_uid="ggzy_incidents_malware")
def on_malware(sender, name, sha256, signature, **kwargs):
    """第四条 不良信息和网络病毒: a virus in an upload was refused at the gate."""
    raise_alert(
        source="ingest",
        key=f"malware:{signature}",
        title=_("上传文件发现病毒：%(signature)s") % {"signature": signature},
        incident_type=IncidentType.MALWARE,
        severity=Severity.LARGE,
        detail=_("文件 %(name)s（SHA-256 %(sha)s）已拒绝") % {"name": name, "sha": sha256},
        links=[(_("审计日志"), "/admin/audit/events/")],
    )


def _network(ip: str) -> ipaddress._BaseNetwork | None:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    prefix = 24 if address.version == 4 else 64
    return ipaddress.ip_network(f"{address}/{prefix}", strict=False)


@receiver(security_event, dispatch_uid="ggzy_incidents_lockouts")
def on_lockout(sender, action, actor, obj, outcome, request, data, **kwargs):
    if action != LOCKOUT_ACTION:
        return
    network = _network(str(data.get("ip") or ""))
    if network is None:
        return
    since = timezone.now() - timedelta(minutes=settings.INCIDENT_LOCKOUT_RANGE_MINUTES)
    # audit's receiver (connected first) has already chained this lockout.
    recent = AuditEvent.objects.filter(action=LOCKOUT_ACTION, time__gte=since).values_list(
        "extra", flat=True
    )[:2000]
    hits = [
        extra
        for extra in recent
        if (net := _network(str((extra or {}).get("ip") or ""))) is not None and net == network
    ]
    if len(hits) < settings.INCIDENT_LOCKOUT_RANGE_THRESHOLD:
        return
    names = sorted({str(extra.get("username") or "") for extra in hits} - {""})
    raise_alert(
        source="accounts",
        key=f"lockouts:{network}",
        title=_("同一网段 %(network)s 多次触发账号锁定") % {"network": network},
        incident_type=IncidentType.ATTACK,
        severity=Severity.LARGE,
        detail=_("%(minutes)d 分钟内 %(count)d 次锁定；账号：%(names)s；本次：%(ip)s %(user)s")
        % {
            "minutes": settings.INCIDENT_LOCKOUT_RANGE_MINUTES,
            "count": len(hits),
            "names": "、".join(names[:20]),
            "ip": data.get("ip"),
            "user": data.get("username") or "",
        },
        links=[(_("账号安全"), "/admin/account-security/")],
    )
