"""The external connections (外联, 网络安全管理办法 二(七)(九)(十)) and the wireless
exceptions (二(八)) registers: their approval procedures and every write, each audited
in its transaction; decisions and retirements carry a reason.

二(七) asks that the kind of each external connection decide its authorisation and
approval procedure. ``PROCEDURES`` is that mapping, in one place: who approves, the
control measures that must be declared before approval, and how long an approval
lasts before the connection is reviewed. The regulation gives approvals over the
network's security records to the 安全管理员 (五(五)); it approves every kind, never the
person who registered (or requested) the row. 二(八) names the 信息安全部门组 for
wireless exceptions: its member in the center's roles is the 安全管理员."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.accounts.choices import RoleKey
from ggzy.audit import services as audit
from ggzy.incidents.alerts import raise_alert, resolve_alert

from . import rules
from .choices import SECURITY_KINDS, ApprovalState, ConnectionKind, WirelessEncryption
from .external_forms import ConnectionForm, WirelessForm
from .models import ExternalConnection, WirelessException

ALERT_SOURCE = "network"
# 二(八): an approved wireless exception this close to its end raises an alert (to renew or withdraw).
WIRELESS_WARN_DAYS = 7
# 二(八): an exception is special and temporary: approved for one year at most.
WIRELESS_MAX_DAYS = 366

# The control measures a connection declares (model field → label), in the order of the regulation.
CONTROL_LABELS = {
    "firewall": gettext_lazy("互连点部署防火墙"),
    "nat": gettext_lazy("地址转换（NAT）"),
    "acl": gettext_lazy("访问控制列表（ACL）"),
    "redundancy": gettext_lazy("安全冗余"),
    "monitored": gettext_lazy("纳入网管监控"),
}


@dataclass(frozen=True)
class Procedure:
    """二(七): the approval procedure of one 外联种类. ``required``: (controls, clause)
    pairs — one of the controls must be declared, the clause says why."""

    approver_role: str
    required: tuple[tuple[tuple[str, ...], str], ...]
    review_days: int  # the review date is at most this far from the approval

    def missing(self, connection) -> list[tuple[str, str]]:
        """(label, clause) of each required control the connection (a row, or a dict of
        its values) does not declare."""

        def value(name):
            return connection[name] if isinstance(connection, dict) else getattr(connection, name)

        return [
            (_("或").join(str(CONTROL_LABELS[n]) for n in names), clause)
            for names, clause in self.required
            if not any(value(n) for n in names)
        ]

    @property
    def clauses(self) -> set[str]:
        return {clause for _names, clause in self.required}

    def describe(self) -> str:
        needs = [_("或").join(str(CONTROL_LABELS[n]) for n in names) for names, _clause in self.required]
        return _("%(role)s审批（登记人不能审批）；批准前须声明：%(needs)s；复核周期不超过 %(days)s 天。") % {
            "role": RoleKey(self.approver_role).label,
            "needs": _("、").join(needs),
            "days": self.review_days,
        }


_FIREWALL = (("firewall",), "wlaq.2.9.2")  # 二(九)2 互联网接入必须有防火墙
_NAT = (("nat",), "wlaq.2.9.1")  # 二(九)1 互连点防火墙上进行 IP 地址转换
_ACL = (("acl", "firewall"), "wlaq.2.10.1")  # 二(十)1 访问控制列表、防火墙
_REDUNDANT = (("redundancy",), "wlaq.2.10.2")  # 二(十)2 考虑安全冗余
_MONITORED = (("monitored",), "wlaq.2.10.3")  # 二(十)3 纳入网管体系的监控 (every interconnection point)

# 二(九) for the internet; 二(十) between the office network and the other networks
# (e-government extranet, leased lines, other business networks); remote maintenance
# (VPN) and other connections need access control and monitoring, and are reviewed
# sooner. Every kind: the 安全管理员 approves.
PROCEDURES: dict[str, Procedure] = {
    ConnectionKind.INTERNET: Procedure(RoleKey.SECURITY_ADMIN, (_FIREWALL, _NAT, _MONITORED), 366),
    ConnectionKind.EGOV: Procedure(RoleKey.SECURITY_ADMIN, (_ACL, _REDUNDANT, _MONITORED), 366),
    ConnectionKind.LEASED: Procedure(RoleKey.SECURITY_ADMIN, (_ACL, _REDUNDANT, _MONITORED), 366),
    ConnectionKind.BUSINESS: Procedure(RoleKey.SECURITY_ADMIN, (_ACL, _REDUNDANT, _MONITORED), 366),
    ConnectionKind.REMOTE: Procedure(RoleKey.SECURITY_ADMIN, (_ACL, _MONITORED), 90),
    ConnectionKind.OTHER: Procedure(RoleKey.SECURITY_ADMIN, (_ACL, _MONITORED), 183),
}

IN_FORCE = (ApprovalState.PENDING, ApprovalState.APPROVED)  # registered and not refused or retired


def may_decide(user, row) -> bool:
    """The procedure's approver role, never the person who registered or requested the row."""
    role = (
        PROCEDURES[row.kind].approver_role if isinstance(row, ExternalConnection) else RoleKey.SECURITY_ADMIN
    )
    people = {row.registered_by_id, getattr(row, "requested_by_id", None)}
    return role in rules.role_keys(user) and user.pk not in people and row.state == ApprovalState.PENDING


def _ensure_decider(actor, row) -> None:
    if row.state != ApprovalState.PENDING:
        raise ValidationError(_("该登记不在待审批状态。"))
    if not may_decide(actor, row):
        if actor.pk in {row.registered_by_id, getattr(row, "requested_by_id", None)}:
            raise PermissionDenied(_("登记人或申请人不能审批自己的登记。"))
        raise PermissionDenied(_("外联与无线接入例外由安全管理员审批。"))


def _values(row, fields) -> dict:
    out = {}
    for name in fields:
        field = row._meta.get_field(name)
        if field.many_to_many:
            out[name] = sorted(str(o) for o in getattr(row, name).all()) if row.pk else []
        else:
            value = getattr(row, name)
            out[name] = "" if value is None else str(value)
    return out


def _save_form(form_class, model, instance, data, actor) -> tuple:
    """Validate and save one row as 待审批 (an edit of an approved row needs a new
    approval); returns the row and what its audit event records (the changed fields
    before and after). The caller records the event in its transaction."""
    before = None
    was_approved = False
    if instance is not None:
        stored = model.objects.get(pk=instance.pk)
        if stored.state == ApprovalState.RETIRED:
            raise ValidationError(_("已停用的登记不能修改，请重新登记。"))
        before = _values(stored, list(form_class.Meta.fields))
        was_approved = stored.state == ApprovalState.APPROVED
    form = form_class(data, instance=instance)
    if not form.is_valid():
        raise ValidationError(form.errors)
    row = form.save(commit=False)
    if instance is None:
        row.registered_by = actor
    row.state = ApprovalState.PENDING
    row.approver, row.decided_at, row.decision_note = None, None, ""
    row.save()
    form.save_m2m()
    after = _values(row, list(form_class.Meta.fields))
    return row, {
        "before": {k: v for k, v in before.items() if after.get(k) != v} if before else None,
        "after": {k: v for k, v in after.items() if not before or before.get(k) != v},
        "reapproval": was_approved,
    }


# --------------------------------------------------------------------------- 外联 (二(七)(九)(十))


def connection_save(*, instance: ExternalConnection | None, data, actor) -> ExternalConnection:
    """Register or change an external connection (the 网络管理员); it is 待审批 after
    (an approval covers what was declared when it was given)."""
    if not rules.may_keep(actor):
        raise PermissionDenied(_("外联登记由网络管理员维护。"))
    with transaction.atomic():
        row, changes = _save_form(ConnectionForm, ExternalConnection, instance, data, actor)
        audit.record(action="network.connection.saved", actor=actor, obj=row, **changes)
    return row


def connection_decide(
    *, actor, connection: ExternalConnection, approve: bool, note: str
) -> ExternalConnection:
    """二(七): approve (the kind's control measures declared, a review date within the
    kind's period) or reject a pending connection, with a reason."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("审批须说明理由。")})
    with transaction.atomic():
        connection = ExternalConnection.objects.select_for_update().get(pk=connection.pk)
        _ensure_decider(actor, connection)
        if approve:
            procedure = PROCEDURES[connection.kind]
            missing = procedure.missing(connection)
            if missing:
                raise ValidationError(
                    _("%(kind)s须先声明控制措施：%(missing)s。")
                    % {"kind": connection.get_kind_display(), "missing": _("、").join(m for m, _c in missing)}
                )
            today = timezone.localdate()
            if connection.review_on <= today:
                raise ValidationError(_("复核日期已到，请网络管理员更新复核日期后再审批。"))
            if connection.review_on > today + dt.timedelta(days=procedure.review_days):
                raise ValidationError(
                    _("%(kind)s的复核日期不能晚于批准后 %(days)s 天。")
                    % {"kind": connection.get_kind_display(), "days": procedure.review_days}
                )
            if not connection.points.filter(active=True).exists():
                raise ValidationError(_("须登记在用的互连点设备。"))
            guarded = connection.points.filter(active=True, kind__in=SECURITY_KINDS).exists()
            if connection.kind == ConnectionKind.INTERNET and not guarded:
                # 二(九)2: the registered point devices show the firewall, not only the flag.
                raise ValidationError(_("互联网接入的互连点设备中须有防火墙等安全设备。"))
        connection.state = ApprovalState.APPROVED if approve else ApprovalState.REJECTED
        connection.approver, connection.decided_at, connection.decision_note = actor, timezone.now(), note
        connection.save(update_fields=["state", "approver", "decided_at", "decision_note"])
        audit.record(
            action="network.connection.decided",
            actor=actor,
            obj=connection,
            state=connection.state,
            kind=connection.kind,
            review_on=connection.review_on.isoformat(),
            note=note,
        )
    return connection


def _retire(*, actor, row, reason: str, action: str, who: str, already: str):
    """A register entry taken out of use (the 网络管理员 or the 安全管理员) with a reason,
    locked and audited in one transaction; ``who``/``already`` are the refusals."""
    if not (rules.may_keep(actor) or rules.may_approve(actor)):
        raise PermissionDenied(who)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("停用须说明原因。")})
    with transaction.atomic():
        row = type(row).objects.select_for_update().get(pk=row.pk)
        if row.state == ApprovalState.RETIRED:
            raise ValidationError(already)
        previous = row.state
        row.state, row.retired_at, row.retire_reason = ApprovalState.RETIRED, timezone.now(), reason
        row.save(update_fields=["state", "retired_at", "retire_reason"])
        audit.record(action=action, actor=actor, obj=row, previous=previous, reason=reason)
    return row


def connection_retire(*, actor, connection: ExternalConnection, reason: str) -> ExternalConnection:
    """The connection is taken down (the 网络管理员 or the 安全管理员), with a reason."""
    return _retire(
        actor=actor,
        row=connection,
        reason=reason,
        action="network.connection.retired",
        who=_("外联由网络管理员或安全管理员停用。"),
        already=_("该外联已停用。"),
    )


# --------------------------------------------------------------------------- 无线接入例外 (二(八))


def _wireless_alert_key(exception: WirelessException) -> str:
    return f"wireless-exception:{exception.pk}"


def wireless_save(*, instance: WirelessException | None, data, actor) -> WirelessException:
    """Register or change a wireless exception (the 网络管理员); it is 待审批 after."""
    if not rules.may_keep(actor):
        raise PermissionDenied(_("无线接入例外由网络管理员登记。"))
    with transaction.atomic():
        row, changes = _save_form(WirelessForm, WirelessException, instance, data, actor)
        audit.record(action="network.wireless.saved", actor=actor, obj=row, **changes)
    return row


def wireless_decide(*, actor, exception: WirelessException, approve: bool, note: str) -> WirelessException:
    """二(八): the 安全管理员 (信息安全部门组) approves or rejects, with a reason; an approval
    needs encryption, an isolated segment and a period of at most a year not yet over."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("审批须说明理由。")})
    with transaction.atomic():
        exception = (
            WirelessException.objects.select_for_update(of=("self",))
            .select_related("segment")
            .get(pk=exception.pk)
        )
        _ensure_decider(actor, exception)
        if approve:
            problems = []
            if exception.encryption == WirelessEncryption.OPEN:
                problems.append(_("无线接入须加密"))
            segment = exception.segment
            if not (segment.isolated_by_firewall or segment.isolated_by_vlan or segment.isolated_by_acl):
                problems.append(_("接入网段“%(segment)s”未登记隔离措施") % {"segment": segment.name})
            if exception.valid_until < timezone.localdate():
                problems.append(_("有效期已过"))
            if (exception.valid_until - exception.valid_from).days > WIRELESS_MAX_DAYS:
                problems.append(_("有效期不能超过一年"))
            if problems:
                raise ValidationError(_("不能批准：%(problems)s。") % {"problems": _("；").join(problems)})
        exception.state = ApprovalState.APPROVED if approve else ApprovalState.REJECTED
        exception.approver, exception.decided_at, exception.decision_note = actor, timezone.now(), note
        exception.save(update_fields=["state", "approver", "decided_at", "decision_note"])
        audit.record(
            action="network.wireless.decided",
            actor=actor,
            obj=exception,
            state=exception.state,
            valid_until=exception.valid_until.isoformat(),
            note=note,
        )
        if approve and exception.valid_until > timezone.localdate() + dt.timedelta(days=WIRELESS_WARN_DAYS):
            resolve_alert(source=ALERT_SOURCE, key=_wireless_alert_key(exception), detail=_("已重新批准"))
    return exception


def wireless_retire(*, actor, exception: WirelessException, reason: str) -> WirelessException:
    """The wireless access is withdrawn (the 网络管理员 or the 安全管理员), with a reason."""
    with transaction.atomic():
        exception = _retire(
            actor=actor,
            row=exception,
            reason=reason,
            action="network.wireless.retired",
            who=_("无线接入例外由网络管理员或安全管理员停用。"),
            already=_("该无线接入例外已停用。"),
        )
        resolve_alert(source=ALERT_SOURCE, key=_wireless_alert_key(exception), detail=_("已停用"))
    return exception


def wireless_expiry_alerts(*, today: dt.date | None = None) -> int:
    """二(八): an approved exception ending within ``WIRELESS_WARN_DAYS`` or already ended
    raises an alert (grouped per exception) through the incidents module, like the
    unapproved configuration change. Returns the number of alerts raised."""
    today = today or timezone.localdate()
    rows = WirelessException.objects.filter(
        state=ApprovalState.APPROVED, valid_until__lte=today + dt.timedelta(days=WIRELESS_WARN_DAYS)
    ).order_by("valid_until", "pk")
    count = 0
    for exception in rows:
        expired = exception.valid_until < today
        with transaction.atomic():
            raise_alert(
                source=ALERT_SOURCE,
                key=_wireless_alert_key(exception),
                title=(_("无线接入例外已过期：%(name)s") if expired else _("无线接入例外即将到期：%(name)s"))
                % {"name": str(exception)},
                incident_type="network",
                detail=_("有效期至 %(date)s，须停用或重新审批（网络安全管理办法 二(八)）")
                % {"date": exception.valid_until.isoformat()},
                links=[(_("无线接入例外"), reverse("network_wireless", args=[exception.pk]))],
            )
        count += 1
    return count
