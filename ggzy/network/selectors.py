"""Reads of the network register and its configuration versions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from .choices import ConfigKind
from .models import AccountHolder, ConfigVersion, Device, DeviceAccount


def devices() -> QuerySet[Device]:
    return Device.objects.select_related("owner", "segment", "room")


def latest_version(device: Device, kind: str) -> ConfigVersion | None:
    return (
        ConfigVersion.objects.filter(device=device, kind=kind)
        .select_related("content")
        .order_by("-number")
        .first()
    )


def drifted(device: Device) -> tuple[ConfigVersion, ConfigVersion] | None:
    """四(一): (saved, running) when the latest running and saved configurations differ."""
    running = latest_version(device, ConfigKind.RUNNING)
    saved = latest_version(device, ConfigKind.SAVED)
    if running is None or saved is None or running.content_id == saved.content_id:
        return None
    return saved, running


def unapproved_versions() -> QuerySet[ConfigVersion]:
    """四(四): versions after the first (running or saved) with no approved change record."""
    return ConfigVersion.objects.filter(previous__isnull=False, change__isnull=True).select_related("device")


# --------------------------------------------------------------------------- 三: device accounts

UNOWNED, SHARED, SUPER_NOT_OWNER = "unowned", "shared", "super_not_owner"


@dataclass(frozen=True)
class AccountFinding:
    kind: str  # UNOWNED / SHARED / SUPER_NOT_OWNER
    device: Device
    account: str
    holders: tuple  # the users registered for it (empty when nobody)

    @property
    def clauses(self) -> tuple[str, ...]:
        # 三(二) one person, one account; 三(一)(三) the super-user is the device's 直接责任人.
        return ("wlaq.3.2",) if self.kind in (UNOWNED, SHARED) else ("wlaq.3.1", "wlaq.3.3")


def holders_by_account() -> dict[tuple[int | None, str], list]:
    """{(device pk or None for every device, account name): [users]} — one query."""
    out: dict[tuple[int | None, str], list] = {}
    for row in AccountHolder.objects.select_related("person").order_by("pk"):
        out.setdefault((row.device_id, row.account), []).append(row.person)
    return out


def account_findings(device: Device | None = None) -> list[AccountFinding]:
    """三(一)(二)(三) on the accounts of the latest running configurations, read against the
    holder register: an account nobody holds, an account held by more than one person,
    a super-user held by someone other than the device's 直接责任人. Two queries."""
    accounts = DeviceAccount.objects.filter(current=True, device__active=True).select_related("device")
    if device is not None:
        accounts = accounts.filter(device=device)
    holders = holders_by_account()
    findings = []
    for account in accounts.order_by("device__name", "name")[:5000]:
        people = holders.get((account.device_id, account.name), []) + holders.get((None, account.name), [])
        distinct = {p.pk: p for p in people}
        if not distinct:
            findings.append(AccountFinding(UNOWNED, account.device, account.name, ()))
            continue
        if len(distinct) > 1:
            findings.append(AccountFinding(SHARED, account.device, account.name, tuple(distinct.values())))
        if account.superuser and any(pk != account.device.owner_id for pk in distinct):
            findings.append(
                AccountFinding(SUPER_NOT_OWNER, account.device, account.name, tuple(distinct.values()))
            )
    return findings


def accounts_held_by(user) -> list[tuple[AccountHolder, list[DeviceAccount]]]:
    """The holder rows of ``user`` with the device accounts still present under them
    (the departures flow lists them; 人员离岗离职信息安全管理规定)."""
    rows = list(AccountHolder.objects.filter(person=user).select_related("device"))
    if not rows:
        return []
    names = {row.account for row in rows}
    present = list(
        DeviceAccount.objects.filter(current=True, device__active=True, name__in=names).select_related(
            "device"
        )
    )
    out = []
    for row in rows:
        on = [
            a
            for a in present
            if a.name == row.account and (row.device_id is None or a.device_id == row.device_id)
        ]
        out.append((row, on))
    return out


def below_target() -> list[Device]:
    """六: active devices whose software version is below the register's target."""
    from .software import below

    devices = Device.objects.filter(active=True).exclude(target_version="").order_by("name")[:2000]
    return [d for d in devices if not d.software_version or below(d.software_version, d.target_version)]
