"""Every write of the network app: configuration pulls (四(一)(二)), change records and
their approval (四(四)). Each takes ``actor`` and is audited in its transaction."""

from __future__ import annotations

import datetime as dt
from concurrent import futures

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from ggzy.audit import services as audit
from ggzy.credentials import crypto
from ggzy.credentials import services as vault
from ggzy.incidents.alerts import raise_alert, resolve_alert

from . import configs, device_accounts, hardening, rules, software, ssh
from .choices import CONFIG_COMMANDS, CONFIG_LAST_LINE, VERSION_COMMANDS, ChangeState, ConfigKind, PullOutcome
from .models import (
    AuditResult,
    ChangeRecord,
    ConfigText,
    ConfigVersion,
    Device,
    DeviceAccount,
    PullAttempt,
    SoftwareSeen,
)

SYSTEM_USE = "network.config_backup"
ALERT_SOURCE = "network"


def _alert_key(device: Device) -> str:
    return f"unapproved-change:{device.pk}"


# --------------------------------------------------------------------------- pulls


def _store(device: Device, kind: str, text: str, when: dt.datetime) -> tuple[ConfigVersion, bool]:
    """The version for ``text``: the latest one when unchanged, else a new one (the
    text stored once by its SHA-256, the diff against the previous version)."""
    digest = configs.sha256(text)
    latest = (
        ConfigVersion.objects.filter(device=device, kind=kind)
        .select_related("content")
        .order_by("-number")
        .first()
    )
    if latest is not None and latest.content.sha256 == digest:
        return latest, False
    content, _created = ConfigText.objects.get_or_create(
        sha256=digest, defaults={"text": text, "size": len(text.encode("utf-8"))}
    )
    version = ConfigVersion.objects.create(
        device=device,
        kind=kind,
        number=(latest.number + 1) if latest else 1,
        content=content,
        previous=latest,
        diff=configs.unified_diff(latest.content.text, text, old_name=f"v{latest.number}", new_name="new")
        if latest
        else "",
        pulled_at=when,
    )
    return version, True


def _approved_change_for(version: ConfigVersion) -> ChangeRecord | None:
    """四(四): the oldest approved, not yet used change of the device planned before the pull."""
    return (
        ChangeRecord.objects.filter(
            device=version.device,
            state=ChangeState.APPROVED,
            planned_at__lte=version.pulled_at,
            for_version__isnull=True,
            versions__isnull=True,
        )
        .order_by("planned_at", "pk")
        .first()
    )


def _failure(device: Device, started: dt.datetime, outcome: str, reason: str, actor) -> PullAttempt:
    with transaction.atomic():
        attempt = PullAttempt.objects.create(
            device=device,
            started_at=started,
            finished_at=timezone.now(),
            outcome=outcome,
            reason=reason[:500],
        )
        Device.objects.filter(pk=device.pk).update(
            last_pull_at=attempt.finished_at, last_pull_outcome=outcome
        )
        audit.record(
            action="network.config.pull_failed",
            actor=actor,
            obj=device,
            outcome="failure",
            result=outcome,
            reason=reason[:300],
        )
    return attempt


def _prepare(device: Device, started: dt.datetime, actor) -> PullAttempt | str:
    """The checks before a pull and the password from the vault (main thread: the vault
    writes its audit event); a failure is recorded and returned as the attempt."""
    if device.platform not in CONFIG_COMMANDS:
        return _failure(
            device,
            started,
            PullOutcome.NOT_CONFIGURED,
            f"platform {device.platform} is not pulled yet",
            actor,
        )
    if not device.mgmt_address:
        return _failure(
            device, started, PullOutcome.NOT_CONFIGURED, "no management address registered", actor
        )
    if device.credential_id is None:
        return _failure(device, started, PullOutcome.NOT_CONFIGURED, "no vault credential linked", actor)
    try:
        return vault.secret_for_system(credential=device.credential, purpose=SYSTEM_USE)
    except (PermissionDenied, crypto.VaultError) as exc:
        return _failure(device, started, PullOutcome.REFUSED, str(exc), actor)


@sensitive_variables("password")
def _fetch(device: Device, password: str) -> tuple[str, str, str | None]:
    """The SSH part of a pull (no database: runs in the pool of ``pull_all``)."""
    return ssh.fetch_configs(
        platform=device.platform,
        host=device.mgmt_address,
        port=device.ssh_port,
        username=device.credential.username,
        password=password,
        timeout=settings.NETWORK_SSH_TIMEOUT,
    )


def _finish(
    device: Device, started: dt.datetime, running: str, saved: str, shown: str | None, actor
) -> PullAttempt:
    running, saved = configs.normalise(running), configs.normalise(saved)
    if not running.strip():
        return _failure(
            device, started, PullOutcome.ERROR, "the device returned an empty configuration", actor
        )
    return _record_pull(device, started, running, saved, actor, shown=shown or "")


@sensitive_variables("password")
def pull_device(*, device: Device, actor=None) -> PullAttempt:
    """Pull the running and saved configurations of one device (四(一)(二)). A failure
    is recorded with its reason; the previous versions are never touched by one."""
    started = timezone.now()
    password = _prepare(device, started, actor)
    if isinstance(password, PullAttempt):
        return password
    try:
        running, saved, shown = _fetch(device, password)
    except ssh.PullError as exc:
        return _failure(device, started, exc.outcome, exc.reason, actor)
    finally:
        del password
    return _finish(device, started, running, saved, shown, actor)


def config_record(*, device: Device, running: str, saved: str = "", actor=None) -> PullAttempt:
    """Configurations obtained another way (a file from a device that cannot be reached
    over SSH): stored, diffed and checked for a change record like a pull."""
    running, saved = configs.normalise(running), configs.normalise(saved) if saved.strip() else ""
    if not running.strip():
        raise ValidationError(_("运行配置不能为空。"))
    # As for a pull: a file cut short (a copy that stopped halfway) is never a version.
    last = CONFIG_LAST_LINE.get(device.platform)
    if last is not None:
        for field, text, label in (
            ("running_file", running, _("运行配置")),
            ("saved_file", saved, _("启动配置")),
        ):
            if text and not ssh.complete(text, device.platform):
                raise ValidationError(
                    {
                        field: _("%(what)s不完整：%(platform)s 的配置以“%(last)s”一行结束，文件可能被截断。")
                        % {"what": label, "platform": device.get_platform_display(), "last": last}
                    }
                )
    return _record_pull(device, timezone.now(), running, saved, actor)


def _record_pull(
    device: Device, started: dt.datetime, running: str, saved: str, actor, *, shown: str | None = None
) -> PullAttempt:
    """``shown``: the output of the version command (None: not read, as for an upload)."""
    now = timezone.now()
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        run_version, run_new = _store(device, ConfigKind.RUNNING, running, now)
        saved_version, saved_new = (
            _store(device, ConfigKind.SAVED, saved, now) if saved.strip() else (None, False)
        )
        unapproved = []
        if run_new and run_version.previous_id is not None:
            change = _approved_change_for(run_version)
            if change is not None:
                run_version.change = change
                run_version.save(update_fields=["change"])
            else:
                unapproved.append(run_version)
        # 四(四): a new saved configuration is a change too — covered by the change of the
        # running version pulled with it, or by an approved change of its own.
        if saved_new and saved_version.previous_id is not None:
            change = run_version.change if run_new and run_version.change_id else None
            change = change or _approved_change_for(saved_version)
            if change is not None:
                saved_version.change = change
                saved_version.save(update_fields=["change"])
            else:
                unapproved.append(saved_version)
        attempt = PullAttempt.objects.create(
            device=device,
            started_at=started,
            finished_at=timezone.now(),
            outcome=PullOutcome.OK,
            running=run_version,
            saved=saved_version,
            new_versions=int(run_new) + int(saved_new),
        )
        version_note = _read_software(device, run_version, now, shown)
        if version_note:
            attempt.reason = version_note[:500]
            attempt.save(update_fields=["reason"])
        device.last_pull_at, device.last_pull_outcome = attempt.finished_at, PullOutcome.OK
        device.save(update_fields=["last_pull_at", "last_pull_outcome"])
        failed = _read_running(device, run_version, now)
        audit.record(
            action="network.config.pulled",
            actor=actor,
            obj=device,
            running=run_version.number,
            saved=saved_version.number if saved_version else None,
            new_versions=attempt.new_versions,
            sha256=run_version.content.sha256,
            change=run_version.change_id,
            failed_rules=failed,
            software_note=version_note,
        )
        if unapproved:
            # 四(四): a configuration changed with no approved change record.
            for version in unapproved:
                audit.record(
                    action="network.config.unapproved",
                    actor=actor,
                    obj=device,
                    version=version.number,
                    kind=version.kind,
                )
            raise_alert(
                source=ALERT_SOURCE,
                key=_alert_key(device),
                title=_("未经批准的配置变更：%(device)s") % {"device": device.name},
                incident_type="network",
                detail=_("%(kind)s第 %(number)s 版没有已批准的变更记录")
                % {"kind": unapproved[0].get_kind_display(), "number": unapproved[0].number},
                links=[(_("设备"), reverse("network_device", args=[device.pk]))],
                occurred_at=now,
            )
    return attempt


# --------------------------------------------------------------------------- reading a configuration


def audit_version(version: ConfigVersion, when: dt.datetime | None = None) -> list[str]:
    """The configuration audit (``hardening``; 二(六)、三(四)、五(一)(二)、七) of one running
    version: its results replace any earlier ones of the same version and become the
    device's current results. Returns the keys of the failed rules."""
    device = version.device
    when = when or timezone.now()
    findings = hardening.run(version.content.text, device.platform, key_device=device.key_device)
    AuditResult.objects.filter(device=device, current=True).update(current=False)
    AuditResult.objects.filter(version=version).delete()
    AuditResult.objects.bulk_create(
        AuditResult(
            device=device,
            version=version,
            rule=r.key,
            clause=r.clause,
            outcome=f.outcome,
            detail=f.detail[:300],
            lines="\n".join(f.lines),
            checked_at=when,
        )
        for r, f in findings
    )
    return [r.key for r, f in findings if f.outcome == hardening.FAIL]


def _read_running(device: Device, version: ConfigVersion, when: dt.datetime) -> list[str]:
    """Everything read from the latest running configuration at a pull: the audit and
    the local accounts (三). A version already read is not read again (its results stay
    current)."""
    if AuditResult.objects.filter(version=version, current=True).exists():
        failed = list(
            AuditResult.objects.filter(version=version, outcome=hardening.FAIL).values_list("rule", flat=True)
        )
    else:
        failed = audit_version(version, when)
        DeviceAccount.objects.filter(device=device, current=True).update(current=False)
        DeviceAccount.objects.bulk_create(
            DeviceAccount(
                device=device,
                version=version,
                name=a.name[:100],
                privilege=a.privilege,
                superuser=a.superuser,
            )
            for a in device_accounts.parse(version.content.text, device.platform)
        )
    return failed


def _read_software(device: Device, version: ConfigVersion, when: dt.datetime, shown: str | None) -> str:
    """六: the software version the device runs — from the version command's output
    (``shown``) when it can be read, else from the configuration header. Returns why
    the device's own answer was not used (empty when it was, or was not asked)."""
    seen = software.version_from_output(shown or "", device.platform)
    note = ""
    if not seen:
        seen = software.version_from_config(version.content.text, device.platform)
        if shown is not None and device.platform in VERSION_COMMANDS:
            command = VERSION_COMMANDS[device.platform]
            why = "gave no answer" if not shown.strip() else "printed no version this app can read"
            kept = f"the configuration header's {seen!r} used" if seen else "no version recorded"
            note = f"software version: {command!r} {why}; {kept}"
    if seen:
        row, created = SoftwareSeen.objects.get_or_create(
            device=device, version=seen[:200], defaults={"first_seen": when, "last_seen": when}
        )
        if not created:
            SoftwareSeen.objects.filter(pk=row.pk).update(last_seen=when)
        if device.software_version != seen:
            Device.objects.filter(pk=device.pk).update(software_version=seen[:200])
    return note


def audit_all(*, actor=None) -> int:
    """Re-run the audit on every device's latest running version (after a rule or
    ``NETWORK_SYSLOG_COLLECTOR`` changed). Returns the number of devices audited."""
    from .selectors import latest_version

    count = 0
    for device in Device.objects.filter(active=True).order_by("name"):
        version = latest_version(device, ConfigKind.RUNNING)
        if version is None:
            continue
        with transaction.atomic():
            failed = audit_version(version)
            audit.record(action="network.config.audited", actor=actor, obj=device, failed_rules=failed)
        count += 1
    return count


def pull_workers() -> int:
    return max(1, int(getattr(settings, "NETWORK_PULL_WORKERS", 8)))


@sensitive_variables("password")
def pull_all(*, actor=None, name: str | None = None, workers: int | None = None) -> list[PullAttempt]:
    """Every active device whose platform is pulled (or the one named), at most
    ``NETWORK_PULL_WORKERS`` (default 8) SSH sessions at a time. The SSH sessions run in
    a thread pool; the vault and every database write stay in the calling thread, and a
    device's password is fetched only when a slot is free for it."""
    qs = Device.objects.filter(active=True, platform__in=list(CONFIG_COMMANDS)).select_related("credential")
    if name is not None:
        qs = Device.objects.filter(name=name).select_related("credential")
    devices = list(qs.order_by("name"))
    limit = workers or pull_workers()
    results: dict[int, PullAttempt] = {}
    running: dict[futures.Future, tuple[Device, dt.datetime]] = {}

    def collect(done) -> None:
        for future in done:
            device, started = running.pop(future)
            try:
                texts = future.result()
            except ssh.PullError as exc:
                results[device.pk] = _failure(device, started, exc.outcome, exc.reason, actor)
            except Exception as exc:  # one device's unexpected error never stops the others
                reason = f"{type(exc).__name__} during the pull"
                results[device.pk] = _failure(device, started, PullOutcome.ERROR, reason, actor)
            else:
                results[device.pk] = _finish(device, started, *texts, actor)

    with futures.ThreadPoolExecutor(max_workers=limit, thread_name_prefix="network-pull") as pool:
        for device in devices:
            while len(running) >= limit:
                done, _pending = futures.wait(running, return_when=futures.FIRST_COMPLETED)
                collect(done)
            started = timezone.now()
            password = _prepare(device, started, actor)
            if isinstance(password, PullAttempt):
                results[device.pk] = password
                continue
            running[pool.submit(_fetch, device, password)] = (device, started)
            del password
        while running:
            done, _pending = futures.wait(running, return_when=futures.FIRST_COMPLETED)
            collect(done)
    return [results[device.pk] for device in devices]


# --------------------------------------------------------------------------- change records


def change_record(
    *,
    actor,
    device: Device,
    summary: str,
    reason: str,
    planned_at: dt.datetime,
    for_version: ConfigVersion | None = None,
    late_reason: str = "",
) -> ChangeRecord:
    """四(四): the 网络管理员 records a change before making it — or, for a version a pull
    found without one, after the fact with the reason it was not recorded in time."""
    if not rules.may_keep(actor):
        raise PermissionDenied(_("配置变更由网络管理员登记。"))
    errors = {}
    if not summary.strip():
        errors["summary"] = _("请填写变更内容。")
    if not reason.strip():
        errors["reason"] = _("请填写变更原因。")
    if for_version is not None:
        if for_version.device_id != device.pk:
            errors["for_version"] = _("该配置版本不属于此设备。")
        elif not for_version.needs_change:
            errors["for_version"] = _("该配置版本已有变更记录。")
        if not late_reason.strip():
            errors["late_reason"] = _("补登须说明未事先登记的原因。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        change = ChangeRecord.objects.create(
            device=device,
            summary=summary.strip(),
            reason=reason.strip(),
            planned_at=planned_at,
            requested_by=actor,
            for_version=for_version,
            late_reason=late_reason.strip(),
        )
        audit.record(
            action="network.change.recorded",
            actor=actor,
            obj=change,
            device=device.name,
            summary=change.summary,
            planned_at=planned_at.isoformat(),
            for_version=for_version.number if for_version else None,
        )
    return change


def change_decide(*, actor, change: ChangeRecord, approve: bool, note: str = "") -> ChangeRecord:
    """The 安全管理员 approves or rejects a pending change (rules.may_approve); an approved
    after-the-fact change covers its version and clears the device's alert when no
    unapproved version is left."""
    if not rules.may_approve(actor):
        raise PermissionDenied(_("配置变更由安全管理员审批。"))
    if actor.pk == change.requested_by_id:
        raise PermissionDenied(_("登记人不能审批自己登记的变更。"))
    if not approve and not note.strip():
        raise ValidationError({"note": _("驳回须说明理由。")})
    with transaction.atomic():
        change = ChangeRecord.objects.select_for_update().get(pk=change.pk)
        if change.state != ChangeState.PENDING:
            raise ValidationError(_("该变更已审批。"))
        change.state = ChangeState.APPROVED if approve else ChangeState.REJECTED
        change.approver, change.decided_at, change.decision_note = actor, timezone.now(), note.strip()
        change.save(update_fields=["state", "approver", "decided_at", "decision_note"])
        if approve and change.for_version_id:
            # The running and saved versions a pull found together are one change.
            ConfigVersion.objects.filter(
                device=change.device,
                pulled_at=change.for_version.pulled_at,
                previous__isnull=False,
                change__isnull=True,
            ).update(change=change)
        audit.record(
            action="network.change.decided",
            actor=actor,
            obj=change,
            state=change.state,
            note=change.decision_note,
            for_version=change.for_version.number if change.for_version_id else None,
        )
        if approve and change.for_version_id:
            still = ConfigVersion.objects.filter(
                device=change.device, previous__isnull=False, change__isnull=True
            ).exists()
            if not still:
                resolve_alert(
                    source=ALERT_SOURCE, key=_alert_key(change.device), detail=_("已补登并批准变更记录")
                )
    return change


def config_viewed(*, actor, device: Device, what: str, **extra) -> None:
    """四(三): every view of a configuration is audited."""
    audit.record(action="network.config.viewed", actor=actor, obj=device, what=what, **extra)
