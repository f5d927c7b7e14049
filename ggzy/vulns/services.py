"""Writes of vulnerability management: each validates, then audits in the same
transaction (网络安全管理办法 二(一)(二))."""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.accounts.choices import RoleKey
from ggzy.audit import services as audit
from ggzy.audit.choices import Outcome
from ggzy.core.inventory import match_hosts, segments_of
from ggzy.incidents.alerts import raise_alert
from ggzy.incidents.choices import IncidentType
from ggzy.incidents.choices import Severity as AlertSeverity

from . import nmap, reports_in, rules, scope
from .choices import (
    DEFAULT_SLA_DAYS,
    FindingStatus,
    PlanState,
    ScanSource,
    ScanState,
    Severity,
    Technique,
)
from .models import Finding, Host, JointAnalysis, Scan, ScanPlan

NMAP_FAMILY = "nmap:"
OPEN_PORT = "nmap:open-port"
# 二(三): a host no register knows, on an important segment, is itself a finding.
UNREGISTERED_HOST = "ggzy:unregistered-host"
# Cleartext or remote-administration services: an open one is a medium finding, not
# information (网络设备管理制度: close what is not needed; override VULNS_RISKY_PORTS).
RISKY_PORTS = {
    21: "ftp",
    23: "telnet",
    69: "tftp",
    135: "msrpc",
    139: "netbios",
    445: "smb",
    3389: "rdp",
    5900: "vnc",
}
OPEN_STATES = (FindingStatus.OPEN, FindingStatus.FIX_PROPOSED)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@contextmanager
def _refusal_audited(action: str, *, actor, obj):
    """A refused attempt (ValidationError, PermissionDenied) is audited in a transaction
    of its own — the caller's is rolled back — and raised again."""
    try:
        yield
    except (ValidationError, PermissionDenied) as exc:
        reason = "; ".join(getattr(exc, "messages", [str(exc)]))
        with transaction.atomic():
            audit.record(action=action, actor=actor, obj=obj, outcome=Outcome.FAILURE, reason=reason[:500])
        raise


def sla_days(severity: str) -> int:
    return {**DEFAULT_SLA_DAYS, **getattr(settings, "VULNS_SLA_DAYS", {})}[severity]


# --------------------------------------------------------------------------- plans (二(二))


@transaction.atomic
def plan_create(
    *,
    actor,
    title: str,
    technique: str,
    scope_text: str,
    ports: str,
    window_start: dt.datetime,
    window_end: dt.datetime,
    expected_impact: str,
    rollback: str,
    max_rate: int = 100,
) -> ScanPlan:
    """二(二): technique, scope, time and possible impact described before anything runs."""
    _require(rules.may_write_plan(actor), _("只有网络管理员可以编制扫描方案。"))
    errors: dict = {}
    for key, value, label in (
        ("title", title, _("名称")),
        ("expected_impact", expected_impact, _("预期影响")),
        ("rollback", rollback, _("回退措施")),
    ):
        if not (value or "").strip():
            errors[key] = _("请填写%(label)s（网络安全管理办法 二(二)）。") % {"label": label}
    if technique not in Technique.values:
        errors["technique"] = _("未知的扫描方式。")
    for key, check in (
        ("scope_text", lambda: scope.parse_scope(scope_text)),
        ("ports", lambda: scope.parse_ports(ports)),
    ):
        try:
            check()
        except ValidationError as exc:
            errors[key] = exc.messages
    if window_start and window_end and window_end <= window_start:
        errors["window_end"] = _("结束时间必须晚于开始时间。")
    elif window_end and window_end <= timezone.now():
        errors["window_end"] = _("时间窗口已经结束。")
    if not 1 <= (max_rate or 0) <= getattr(settings, "VULNS_MAX_RATE", 1000):
        errors["max_rate"] = _("每秒发包数应在 1 到 %(max)s 之间。") % {
            "max": getattr(settings, "VULNS_MAX_RATE", 1000)
        }
    if errors:
        raise ValidationError(errors)
    plan = ScanPlan.objects.create(
        title=title.strip(),
        technique=technique,
        scope="\n".join(str(n) for n in scope.parse_scope(scope_text)),
        ports=scope.ports_arg(scope.parse_ports(ports)),
        window_start=window_start,
        window_end=window_end,
        max_rate=max_rate,
        expected_impact=expected_impact.strip(),
        rollback=rollback.strip(),
        author=actor,
    )
    audit.record(
        action="vulns.plan.created",
        actor=actor,
        obj=plan,
        after={"scope": plan.scope, "ports": plan.ports, "window": [str(window_start), str(window_end)]},
    )
    return plan


@transaction.atomic
def plan_decide(*, plan: ScanPlan, actor, approve: bool, note: str = "") -> ScanPlan:
    plan = ScanPlan.objects.select_for_update().get(pk=plan.pk)
    _require(
        rules.may_decide_plan(actor, plan),
        _("扫描方案由安全管理员批准，编制人不能批准自己的方案。"),
    )
    if plan.state != PlanState.REQUESTED:
        raise ValidationError(_("该方案已处理。"))
    if not approve and not note.strip():
        raise ValidationError({"note": _("不批准时请写明理由。")})
    plan.state = PlanState.APPROVED if approve else PlanState.REFUSED
    plan.decided_by, plan.decided_at, plan.decision_note = actor, timezone.now(), note.strip()
    plan.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit.record(action="vulns.plan.decided", actor=actor, obj=plan, approved=approve)
    return plan


# --------------------------------------------------------------------------- scans


def _inside_plan(plan: ScanPlan, targets_text: str, now: dt.datetime) -> list:
    """The targets, or ValidationError: no scan outside an approved plan's scope or window."""
    if plan.state != PlanState.APPROVED:
        raise ValidationError(_("扫描方案未经安全管理员批准，不得扫描（网络安全管理办法 二(二)）。"))
    if not plan.window_start <= now <= plan.window_end:
        raise ValidationError(
            _("不在方案批准的时间窗口内（%(start)s 至 %(end)s）。")
            % {
                "start": timezone.localtime(plan.window_start).strftime("%Y-%m-%d %H:%M"),
                "end": timezone.localtime(plan.window_end).strftime("%Y-%m-%d %H:%M"),
            }
        )
    return scope.parse_targets(targets_text, scope.parse_scope(plan.scope))


def scan_start(*, plan: ScanPlan, targets: str, actor, now: dt.datetime | None = None) -> Scan:
    """A scan inside the plan, queued for the worker; a refused attempt is audited."""
    now = now or timezone.now()
    plan = ScanPlan.objects.get(pk=plan.pk)  # the plan as decided, not as the caller holds it
    with _refusal_audited("vulns.scan.refused", actor=actor, obj=plan):
        _require(rules.may_run_scan(actor), _("只有网络管理员可以发起扫描。"))
        networks = _inside_plan(plan, targets, now)
    with transaction.atomic():
        scan = Scan.objects.create(
            plan=plan, source=ScanSource.RUN, targets="\n".join(str(n) for n in networks), started_by=actor
        )
        audit.record(action="vulns.scan.started", actor=actor, obj=scan, targets=scan.targets)
    return scan


def scan_run(*, scan: Scan) -> Scan:
    """Run nmap for a queued scan (the worker calls this). The window is checked again:
    a scan that waited in the queue past its window never runs; nmap is stopped at the
    window's end."""
    with transaction.atomic():
        scan = Scan.objects.select_for_update().select_related("plan").get(pk=scan.pk)
        if scan.state != ScanState.QUEUED:
            return scan
        now = timezone.now()
        try:
            _inside_plan(scan.plan, scan.targets, now)
        except ValidationError as exc:
            return _fail(scan, "; ".join(exc.messages))
        scan.state, scan.started_at = ScanState.RUNNING, now
        scan.save(update_fields=["state", "started_at"])
    plan = scan.plan
    with tempfile.TemporaryDirectory(prefix="ggzy-nmap-") as scratch:
        output = Path(scratch) / "scan.xml"
        args = nmap.command(
            technique=plan.technique,
            targets=scan.targets.split(),
            ports=plan.ports,
            max_rate=plan.max_rate,
            output=output,
        )
        try:
            nmap.run(
                args,
                timeout=(plan.window_end - timezone.now()).total_seconds(),
                on_progress=lambda p: Scan.objects.filter(pk=scan.pk).update(progress=p),
            )
            hosts = nmap.parse(output)
        except TimeoutError:
            return _fail(scan, _("到达方案时间窗口的结束时间，扫描已停止。"))
        except (RuntimeError, OSError, ValidationError) as exc:
            return _fail(scan, str(getattr(exc, "messages", [exc])[0]))
        with transaction.atomic():
            scan = Scan.objects.select_for_update().get(pk=scan.pk)
            _keep_output(scan, output)
            networks, port_ranges = (
                scope.parse_networks(scan.targets, label=""),
                scope.parse_ports(plan.ports),
            )
            counts = _apply_results(
                scan,
                _nmap_observations(hosts),
                {h.address: h.hostname for h in hosts},
                family=NMAP_FAMILY,
                covers=lambda f: (
                    scope.address_in(f.host.address, networks) and scope.port_in(f.port, port_ranges)
                ),
            )
            scan.state, scan.progress, scan.finished_at = ScanState.DONE, 100, timezone.now()
            scan.hosts_up = len(hosts)
            scan.save()
            audit.record(action="vulns.scan.finished", actor=scan.started_by, obj=scan, **counts)
    return scan


def _fail(scan: Scan, reason: str) -> Scan:
    with transaction.atomic():
        Scan.objects.filter(pk=scan.pk).update(
            state=ScanState.FAILED, error=reason[:500], finished_at=timezone.now()
        )
        audit.record(
            action="vulns.scan.failed",
            actor=scan.started_by,
            obj=scan,
            outcome=Outcome.FAILURE,
            reason=reason[:500],
        )
    scan.refresh_from_db()
    return scan


def _keep_output(scan: Scan, path: Path) -> None:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
        handle.seek(0)
        scan.output.save(f"scan-{scan.pk}{path.suffix}", File(handle), save=False)
    scan.output_sha256 = digest.hexdigest()


# kind → (file suffix, reader of (path, the plan's networks)); nmap is read apart.
IMPORT_KINDS = {
    "nmap": ("xml", None),
    "openvas": ("xml", lambda path, networks: reports_in.parse_openvas(path)),
    "csv": ("csv", lambda path, networks: reports_in.parse_csv(path)),
    "lynis": ("dat", reports_in.parse_lynis),
}


def scan_import(*, plan: ScanPlan, upload, actor, kind: str = "nmap") -> Scan:
    """A report produced elsewhere (nmap XML, Greenbone/OpenVAS XML, or the documented
    CSV), inside the plan: every host in it must lie in the plan's scope, or nothing is
    imported. Hostile, malformed or oversized files are refused whole."""
    with _refusal_audited("vulns.import.refused", actor=actor, obj=plan):
        _require(rules.may_run_scan(actor), _("只有网络管理员可以导入扫描结果。"))
        plan = ScanPlan.objects.get(pk=plan.pk)
        if plan.state != PlanState.APPROVED:
            raise ValidationError(_("扫描方案未经安全管理员批准，不能导入其结果。"))
        if kind not in IMPORT_KINDS:
            raise ValidationError(_("未知的结果格式。"))
        suffix, reader = IMPORT_KINDS[kind]
        with tempfile.TemporaryDirectory(prefix="ggzy-import-") as scratch:
            path = Path(scratch) / f"import.{suffix}"
            _spool(upload, path)
            networks = scope.parse_scope(plan.scope)
            if reader is None:
                hosts = nmap.parse(path)
                observations, up = _nmap_observations(hosts), {h.address: h.hostname for h in hosts}
            else:
                observations = reader(path, networks)
                up = {o.address: o.hostname for o in observations}
            outside = sorted(a for a in up if not scope.address_in(a, networks))
            if outside:
                raise ValidationError(
                    _("结果中的主机超出方案的扫描范围：%(items)s，未导入。")
                    % {"items": "、".join(outside[:5])}
                )
            with transaction.atomic():
                scan = Scan.objects.create(
                    plan=plan,
                    source=ScanSource.IMPORTED,
                    targets="\n".join(sorted(up)) or plan.scope,
                    started_by=actor,
                    state=ScanState.DONE,
                    progress=100,
                    started_at=timezone.now(),
                    finished_at=timezone.now(),
                    hosts_up=len(up),
                )
                _keep_output(scan, path)
                scan.save()
                family = NMAP_FAMILY if reader is None else f"{kind}:"
                port_ranges = scope.parse_ports(plan.ports)
                counts = _apply_results(
                    scan,
                    observations,
                    up,
                    family=family,
                    # A report covers its own hosts (and, for nmap, the plan's ports).
                    covers=lambda f: (
                        f.host.address in up and (reader is not None or scope.port_in(f.port, port_ranges))
                    ),
                )
                audit.record(action="vulns.scan.imported", actor=actor, obj=scan, kind=kind, **counts)
                return scan


def _spool(upload, path: Path) -> None:
    """The upload to disk in chunks, refused as soon as it passes the size cap."""
    limit = nmap.max_report_bytes()
    size = 0
    chunks = upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1 << 20), b"")
    with path.open("wb") as out:
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise ValidationError(
                    _("扫描结果文件过大（上限 %(mb)s MB）。") % {"mb": limit // (1024 * 1024)}
                )
            out.write(chunk)


# --------------------------------------------------------------------------- findings


def _nmap_observations(hosts: list[nmap.HostResult]) -> list[reports_in.Observation]:
    risky = getattr(settings, "VULNS_RISKY_PORTS", RISKY_PORTS)
    out = []
    for host in hosts:
        for port in host.ports:
            service = " ".join(filter(None, (port.service, port.product, port.version)))
            title = _("开放端口 %(port)s/%(proto)s") % {"port": port.port, "proto": port.protocol}
            out.append(
                reports_in.Observation(
                    address=host.address,
                    port=port.port,
                    protocol=port.protocol,
                    vuln_id=OPEN_PORT,
                    title=f"{title} {service}" if service else title,
                    severity=Severity.MEDIUM if port.port in risky else Severity.INFO,
                    hostname=host.hostname,
                )
            )
    return out


def _apply_results(scan: Scan, observations, up: dict[str, str], *, family: str, covers) -> dict:
    """Hosts and findings from one scan: a finding seen again is updated (the same host,
    port, protocol, id); one of the same family that the scan covered (``covers``) and
    did not see is proposed fixed, for a person to confirm."""
    now = timezone.now()
    known = {h.address: h for h in Host.objects.filter(address__in=list(up))}
    for address, hostname in up.items():
        host = known.get(address)
        if host is None:
            known[address] = Host.objects.create(
                address=address, hostname=hostname, first_seen=now, last_seen=now
            )
        else:
            host.last_seen, host.hostname = now, hostname or host.hostname
            host.save(update_fields=["last_seen", "hostname"])
    observations = list(observations) + _match_registers(known, scan)
    existing = {
        (f.host_id, f.port, f.protocol, f.vuln_id): f for f in Finding.objects.filter(host__in=known.values())
    }
    seen: set[int] = set()
    created = reopened = 0
    for item in observations:
        host = known[item.address]
        finding = existing.get((host.pk, item.port, item.protocol, item.vuln_id))
        if finding is None:
            finding = Finding.objects.create(
                host=host,
                port=item.port,
                protocol=item.protocol,
                vuln_id=item.vuln_id,
                title=item.title,
                detail=item.detail,
                severity=item.severity,
                cvss=item.cvss,
                first_seen=now,
                last_seen=now,
                first_scan=scan,
                last_scan=scan,
                due_on=timezone.localdate() + dt.timedelta(days=sla_days(item.severity)),
            )
            existing[(host.pk, item.port, item.protocol, item.vuln_id)] = finding
            created += 1
            _alert_if_major(finding)
        elif finding.pk not in seen:
            finding.last_seen, finding.last_scan, finding.title = now, scan, item.title
            if finding.status in (FindingStatus.FIX_PROPOSED, FindingStatus.FIXED):
                finding.status, finding.closed_at, finding.closed_by = FindingStatus.OPEN, None, None
                reopened += 1
                audit.record(action="vulns.finding.reopened", actor=None, obj=finding, scan=scan.pk)
            finding.save()
        seen.add(finding.pk)
    candidates = (
        Finding.objects.filter(vuln_id__startswith=family, status=FindingStatus.OPEN)
        .exclude(pk__in=seen)
        .select_related("host")
        .only("pk", "port", "host__address")
    )
    proposed = [f.pk for f in candidates if covers(f)]
    Finding.objects.filter(pk__in=proposed).update(status=FindingStatus.FIX_PROPOSED)
    scan.observed.add(*seen)
    return {"hosts": len(up), "new": created, "reopened": reopened, "proposed_fixed": len(proposed)}


def _match_registers(hosts: dict[str, Host], scan: Scan) -> list:
    """Each scanned host read against the registers (ggzy.core.inventory: by address, then
    name) and its segment; an unknown host on an important segment becomes a finding
    (unless a person has dismissed it), and one now known or dismissed has that finding
    proposed fixed."""
    matched = match_hosts((h.address, h.hostname) for h in hosts.values())
    segments = segments_of(hosts)
    out, resolved = [], []
    for address, host in hosts.items():
        known, segment = matched.get(address), segments.get(address)
        host.known_source = known.source if known else ""
        host.known_key = known.key if known else ""
        host.known_label = known.label if known else ""
        host.known_url = known.url if known else ""
        host.internet_facing = bool(known and known.internet_facing)
        host.segment_name = segment.name if segment else ""
        host.segment_important = bool(segment and segment.important)
        if known is None and host.segment_important and host.dismissed_at is None:
            out.append(
                reports_in.Observation(
                    address=address,
                    port=0,
                    protocol="",
                    vuln_id=UNREGISTERED_HOST,
                    title=_("未登记的主机出现在重要网段 %(segment)s") % {"segment": host.segment_name},
                    severity=Severity.HIGH,
                    hostname=host.hostname,
                )
            )
        else:
            resolved.append(host.pk)
    Host.objects.bulk_update(
        hosts.values(),
        [
            "known_source",
            "known_key",
            "known_label",
            "known_url",
            "internet_facing",
            "segment_name",
            "segment_important",
        ],
    )
    Finding.objects.filter(host__in=resolved, vuln_id=UNREGISTERED_HOST, status=FindingStatus.OPEN).update(
        status=FindingStatus.FIX_PROPOSED
    )
    return out


@transaction.atomic
def host_dismiss(*, host: Host, actor, reason: str) -> Host:
    """An unknown host someone has looked at and lets be (a visitor's laptop on the guest
    segment…): no more unregistered-host findings for it; the open one is proposed fixed."""
    _require(rules.may_triage(actor), _("只有网络管理员或安全管理员可以忽略未登记主机。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请说明忽略的原因。")})
    host = Host.objects.select_for_update().get(pk=host.pk)
    if host.known_source:
        raise ValidationError(_("该主机已在登记簿中，无需忽略。"))
    host.dismissed_by, host.dismissed_at, host.dismiss_reason = actor, timezone.now(), reason.strip()
    host.save(update_fields=["dismissed_by", "dismissed_at", "dismiss_reason"])
    Finding.objects.filter(host=host, vuln_id=UNREGISTERED_HOST, status=FindingStatus.OPEN).update(
        status=FindingStatus.FIX_PROPOSED
    )
    audit.record(action="vulns.host.dismissed", actor=actor, obj=host, reason=host.dismiss_reason)
    return host


def _alert_if_major(finding: Finding) -> None:
    """二(一) 如发现重大安全隐患，应立即上报: a critical finding, or a high one on an
    internet-facing device, raises an alert at once."""
    major = finding.severity == Severity.CRITICAL or (
        finding.severity == Severity.HIGH and finding.host.internet_facing
    )
    if not major:
        return
    raise_alert(
        source="vulns",
        key=f"finding-{finding.pk}",
        title=_("重大安全隐患：%(host)s %(title)s") % {"host": finding.host.address, "title": finding.title},
        incident_type=IncidentType.ATTACK,
        severity=AlertSeverity.LARGE,
        detail=finding.detail[:500],
        links=((_("安全隐患"), f"/admin/vulns/findings/{finding.pk}/"),),
    )


@transaction.atomic
def finding_assign(*, finding: Finding, owner, actor) -> Finding:
    _require(rules.may_triage(actor), _("只有网络管理员或安全管理员可以指定责任人。"))
    if owner is None or not owner.is_active:
        raise ValidationError({"owner": _("请选择在岗的责任人。")})
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    finding.owner = owner
    finding.save(update_fields=["owner"])
    audit.record(action="vulns.finding.assigned", actor=actor, obj=finding, owner=owner.get_username())
    return finding


@transaction.atomic
def finding_close(
    *, finding: Finding, status: str, actor, note: str = "", accepted_until: dt.date | None = None
) -> Finding:
    """Fixed (confirmed by a person), false positive (with the reason), or accepted risk
    (the 安全管理员, with an expiry)."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status not in OPEN_STATES:
        raise ValidationError(_("该隐患已关闭。"))
    if status == FindingStatus.ACCEPTED:
        _require(rules.may_accept_risk(actor), _("只有安全管理员可以批准接受风险。"))
        if not note.strip() or accepted_until is None or accepted_until <= timezone.localdate():
            raise ValidationError(_("接受风险须写明理由，并给出晚于今天的有效期。"))
    elif status in (FindingStatus.FIXED, FindingStatus.FALSE_POSITIVE):
        _require(rules.may_triage(actor), _("只有网络管理员或安全管理员可以关闭隐患。"))
        if status == FindingStatus.FALSE_POSITIVE and not note.strip():
            raise ValidationError(_("标为误报时请写明理由。"))
    else:
        raise ValidationError(_("未知的处理结果。"))
    finding.status, finding.status_note = status, note.strip()
    finding.closed_by, finding.closed_at = actor, timezone.now()
    finding.accepted_until = accepted_until if status == FindingStatus.ACCEPTED else None
    finding.save()
    audit.record(action="vulns.finding.closed", actor=actor, obj=finding, status=status)
    return finding


# --------------------------------------------------------------------------- joint analysis (二(一))

# The signing roles and their slots on JointAnalysis.
SIGNERS = (
    (RoleKey.NETWORK_ADMIN, "network"),
    (RoleKey.SYSTEM_ADMIN, "system"),
    (RoleKey.SECURITY_ADMIN, "security"),
)


@transaction.atomic
def analysis_save(
    *, scan: Scan, actor, summary: str, remediation_plan: str, accepted_risks: str = ""
) -> JointAnalysis:
    """The 网络管理员 drafts the analysis of a completed scan; it can be corrected until
    the first signature."""
    _require(rules.may_run_scan(actor), _("联合分析由网络管理员起草。"))
    scan = Scan.objects.select_for_update().get(pk=scan.pk)
    if scan.state != ScanState.DONE:
        raise ValidationError(_("扫描尚未完成，不能分析。"))
    errors = {
        key: _("请填写%(label)s。") % {"label": label}
        for key, value, label in (
            ("summary", summary, _("结果综述")),
            ("remediation_plan", remediation_plan, _("整改计划")),
        )
        if not (value or "").strip()
    }
    if errors:
        raise ValidationError(errors)
    analysis = JointAnalysis.objects.select_for_update().filter(scan=scan).first()
    if analysis is not None and analysis.signed_any:
        raise ValidationError(_("联合分析已有人签字，不能再修改。"))
    analysis = analysis or JointAnalysis(scan=scan)
    analysis.summary, analysis.remediation_plan = summary.strip(), remediation_plan.strip()
    analysis.accepted_risks, analysis.drafted_by = accepted_risks.strip(), actor
    analysis.save()
    audit.record(action="vulns.analysis.saved", actor=actor, obj=analysis)
    return analysis


def may_sign(analysis: JointAnalysis, user) -> bool:
    """Whether the user has a role whose slot is free and has not signed yet."""
    keys = rules.role_keys(user)
    signed = {getattr(analysis, f"{slot}_signed_by_id") for _role, slot in SIGNERS}
    return user.pk not in signed and any(
        role in keys and not getattr(analysis, f"{slot}_signed_by_id") for role, slot in SIGNERS
    )


@transaction.atomic
def analysis_sign(*, analysis: JointAnalysis, actor) -> JointAnalysis:
    """Each of the three administrators signs in their own role; one person signs once
    (二(一): 网络管理员 与系统管理员、安全管理员一起分析)."""
    analysis = JointAnalysis.objects.select_for_update().get(pk=analysis.pk)
    keys = rules.role_keys(actor)
    slots = [slot for role, slot in SIGNERS if role in keys and not getattr(analysis, f"{slot}_signed_by_id")]
    if not any(role in keys for role, _slot in SIGNERS):
        raise PermissionDenied(_("只有网络管理员、系统管理员、安全管理员可以签字。"))
    if actor.pk in {getattr(analysis, f"{slot}_signed_by_id") for _role, slot in SIGNERS}:
        raise ValidationError(_("您已签字；联合分析须由三位不同的管理员签字。"))
    if not slots:
        raise ValidationError(_("您所在角色已有人签字。"))
    slot = slots[0]
    now = timezone.now()
    setattr(analysis, f"{slot}_signed_by", actor)
    setattr(analysis, f"{slot}_signed_at", now)
    if all(getattr(analysis, f"{s}_signed_by_id") for _role, s in SIGNERS):
        analysis.completed_at = now
    analysis.save()
    audit.record(
        action="vulns.analysis.signed",
        actor=actor,
        obj=analysis,
        role=slot,
        complete=bool(analysis.completed_at),
    )
    return analysis
