"""Staff departure (人员离岗离职信息安全管理规定): writes for departures.

The 系统管理员 starts a departure: the account is disabled, its sessions ended
and its roles removed in one transaction (第一条: 即时取消访问授权). The
department head then signs off each handover item (第二条) and return (第三条);
the departure closes only when all are done and the confidentiality
obligation (第一条) was acknowledged.

Events go through ``accounts.events.emit`` (the security-event seam: one
``ggzy.security`` log line, and audit's receiver writes the chain in the same
transaction), like every other identity event.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.accounts import events
from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import User
from ggzy.accounts.services import can_manage_accounts, user_sessions_end

from .choices import DepartureItemKind, DepartureKind
from .handover import handover_entries
from .models import Departure, DepartureItem

__all__ = [
    "can_sign_off",
    "departure_acknowledge_confidentiality",
    "departure_close",
    "departure_item_add",
    "departure_item_sign_off",
    "departure_start",
]


def can_sign_off(actor: User, departure: Departure) -> bool:
    """The head (科室负责人) of the departing person's department, not the person."""
    return (
        actor.is_active
        and actor.pk != departure.user_id
        and actor.department_id == departure.user.department_id
        and actor.has_role(RoleKey.DEPARTMENT_HEAD)
    )


@transaction.atomic
def departure_start(
    *,
    user: User,
    kind: str,
    actor: User,
    reason: str = "",
    device_accounts: Iterable[str] = (),
) -> Departure:
    """Disable the account, end its sessions, remove its roles; open the checklist.

    ``device_accounts`` lists the server/switch/router accounts the person held
    (第二条(一)); each becomes its own item, to be handed over and changed.
    """
    if not can_manage_accounts(actor):
        raise PermissionDenied(_("只有系统管理员可以办理离岗离职。"))
    if actor.pk == user.pk:
        raise PermissionDenied(_("不能为自己办理离岗离职。"))
    if kind not in DepartureKind.values:
        raise ValidationError(_("未知的离岗离职类型：%(kind)s") % {"kind": kind})
    if Departure.objects.filter(user=user, closed_at__isnull=True).exists():
        raise ValidationError(_("%(user)s 已有未办结的离岗离职手续。") % {"user": user})

    user = User.objects.select_for_update().get(pk=user.pk)
    removed = sorted(user.groups.values_list("name", flat=True))
    user.is_active = False
    user.save(update_fields=["is_active"])
    user.groups.clear()
    ended = user_sessions_end(user=user)
    # API tokens: none exist yet; the API issue revokes them here when it adds them.

    departure = Departure.objects.create(
        user=user, kind=kind, reason=reason, started_by=actor, removed_groups=removed
    )
    items = [
        DepartureItem(departure=departure, kind=DepartureItemKind.DEVICE_CREDENTIALS, description=name)
        for name in device_accounts
        if name.strip()
    ]
    if not items:
        items.append(DepartureItem(departure=departure, kind=DepartureItemKind.DEVICE_CREDENTIALS))
    items += [
        DepartureItem(departure=departure, kind=kind_)
        for kind_ in DepartureItemKind.values
        if kind_ != DepartureItemKind.DEVICE_CREDENTIALS
    ]
    DepartureItem.objects.bulk_create(items)
    # Actions keep the accounts.* names they had before the move: the chain and history read the same.
    events.emit(
        "accounts.departure.started",
        actor=actor,
        obj=user,
        kind=kind,
        removed_groups=removed,
        sessions_ended=ended,
    )
    return departure


def _open(departure: Departure) -> None:
    if departure.is_closed:
        raise ValidationError(_("离岗离职手续已办结，不能再修改。"))


@transaction.atomic
def departure_item_add(*, departure: Departure, kind: str, description: str, actor: User) -> DepartureItem:
    """Add an item (e.g. one more device account found during the handover)."""
    _open(departure)
    if not (can_manage_accounts(actor) or can_sign_off(actor, departure)):
        raise PermissionDenied(_("只有系统管理员或该科室负责人可以添加交接事项。"))
    item = DepartureItem.objects.create(departure=departure, kind=kind, description=description)
    events.emit("accounts.departure.item_added", actor=actor, obj=departure.user, item=str(item))
    return item


@transaction.atomic
def departure_item_sign_off(*, item: DepartureItem, actor: User, note: str = "") -> DepartureItem:
    """The department head confirms an item was handed over (or a password changed)."""
    departure = item.departure
    _open(departure)
    if not can_sign_off(actor, departure):
        raise PermissionDenied(_("只有离岗离职人员所在科室的负责人可以确认交接事项。"))
    if item.is_done:
        raise ValidationError(_("该事项已确认。"))
    item.done_at = timezone.now()
    item.done_by = actor
    item.note = note
    item.save(update_fields=["done_at", "done_by", "note"])
    events.emit("accounts.departure.item_signed_off", actor=actor, obj=departure.user, item=str(item))
    return item


@transaction.atomic
def departure_acknowledge_confidentiality(
    *, departure: Departure, acknowledged_on: datetime.date, actor: User
) -> Departure:
    """第一条: record the date the person acknowledged the lasting duty of confidentiality."""
    _open(departure)
    if not (can_manage_accounts(actor) or can_sign_off(actor, departure)):
        raise PermissionDenied(_("只有系统管理员或该科室负责人可以登记保密义务确认。"))
    if acknowledged_on > timezone.localdate():
        raise ValidationError(_("确认日期不能晚于今天。"))
    departure.confidentiality_acknowledged_on = acknowledged_on
    departure.save(update_fields=["confidentiality_acknowledged_on"])
    events.emit(
        "accounts.departure.confidentiality_acknowledged",
        actor=actor,
        obj=departure.user,
        acknowledged_on=acknowledged_on.isoformat(),
    )
    return departure


def _entry_text(entry) -> str:
    return f"{entry.label}（{entry.detail}）" if entry.detail else entry.label


@transaction.atomic
def departure_close(*, departure: Departure, actor: User) -> Departure:
    """Close the departure once every item is signed off, confidentiality acknowledged
    and no registered handover source (``handover``) lists anything outstanding."""
    _open(departure)
    if not (can_manage_accounts(actor) or can_sign_off(actor, departure)):
        raise PermissionDenied(_("只有系统管理员或该科室负责人可以办结离岗离职手续。"))
    missing = [str(item) for item in departure.items.filter(done_at__isnull=True)]
    problems = []
    if missing:
        problems.append(_("以下交接事项尚未确认：%(items)s") % {"items": "；".join(missing)})
    if departure.confidentiality_acknowledged_on is None:
        problems.append(_("尚未登记保密义务确认日期（人员离岗离职信息安全管理规定 第一条）。"))
    # 第二、三条: what the modules above (assets, credentials) still list for the person.
    outstanding = [entry for entry in handover_entries(departure.user) if entry.outstanding]
    if outstanding:
        problems.append(
            _("以下财物、资料或口令尚未归还或交接（人员离岗离职信息安全管理规定 第二、三条）：%(items)s")
            % {
                "items": "；".join(
                    f"{entry.label}{f'（{entry.detail}）' if entry.detail else ''}" for entry in outstanding
                )
            }
        )
    if problems:
        raise ValidationError(problems)
    departure.closed_at = timezone.now()
    departure.closed_by = actor
    departure.save(update_fields=["closed_at", "closed_by"])
    events.emit("accounts.departure.closed", actor=actor, obj=departure.user)
    return departure
