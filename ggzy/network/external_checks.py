"""Live checks of 网络安全管理办法 二(三)(七)(八)(九)(十), registered with compliance
(imported in NetworkConfig.ready()): the external connections, the wireless exceptions
and the isolation of the important segments. Each is one or two grouped queries;
messages name connections, places and segments, never addresses (四(三))."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from ggzy.compliance.choices import Status
from ggzy.compliance.registry import CheckResult, register_check

from .choices import SECURITY_KINDS, ApprovalState, ConnectionKind, DeviceKind
from .external import IN_FORCE, PROCEDURES
from .models import Device, ExternalConnection, Segment, WirelessException

_CONNECTIONS = "/admin/network/connections/"
_WIRELESS = "/admin/network/wireless/"
_SEGMENTS = "/admin/network/registers/segments/"


def _names(names) -> str:
    names = sorted(set(names))
    more = _("等 %(n)s 项") % {"n": len(names)} if len(names) > 5 else ""
    return _("、").join(names[:5]) + more


CONNECTION_CLAUSES = (
    "wlaq.2.7",
    "wlaq.2.9",
    "wlaq.2.9.1",
    "wlaq.2.9.2",
    "wlaq.2.10",
    "wlaq.2.10.1",
    "wlaq.2.10.2",
    "wlaq.2.10.3",
)
# A heading clause is the sum of its items.
_PARTS = {
    "wlaq.2.9": ("wlaq.2.9.1", "wlaq.2.9.2"),
    "wlaq.2.10": ("wlaq.2.10.1", "wlaq.2.10.2", "wlaq.2.10.3"),
}


@register_check(*CONNECTION_CLAUSES)
def external_connections_authorised(*, today: dt.date) -> CheckResult:
    """二(七): every connection in force is approved and not past its review date; 二(九):
    internet ones with a firewall translating addresses; 二(十): the others with an ACL
    or a firewall and redundancy; every interconnection point a registered, active,
    monitored device. One grouped query."""
    link = [(_("外联登记"), _CONNECTIONS)]
    rows = list(
        ExternalConnection.objects.filter(state__in=IN_FORCE)
        .annotate(
            live_points=Count("points", filter=Q(points__active=True), distinct=True),
            security_points=Count(
                "points", filter=Q(points__active=True, points__kind__in=SECURITY_KINDS), distinct=True
            ),
        )
        .values(
            "name",
            "kind",
            "state",
            "review_on",
            "firewall",
            "nat",
            "acl",
            "redundancy",
            "monitored",
            "live_points",
            "security_points",
        )
    )
    if not rows:
        return CheckResult(Status.NO_DATA, _("尚未登记在用的外联"), link)
    applies: dict[str, list[str]] = {clause: [] for clause in CONNECTION_CLAUSES}
    failing: dict[str, list[str]] = {clause: [] for clause in CONNECTION_CLAUSES}
    reasons: dict[str, list[str]] = {}
    for row in rows:
        name, procedure = row["name"], PROCEDURES[row["kind"]]
        applies["wlaq.2.7"].append(name)
        if row["state"] != ApprovalState.APPROVED:
            failing["wlaq.2.7"].append(name)
            reasons.setdefault(name, []).append(_("未批准"))
        elif row["review_on"] < today:
            failing["wlaq.2.7"].append(name)
            reasons.setdefault(name, []).append(_("已过复核日期"))
        for clause in procedure.clauses:
            applies[clause].append(name)
        for label, clause in procedure.missing(row):
            failing[clause].append(name)
            reasons.setdefault(name, []).append(_("未声明%(control)s") % {"control": label})
        if row["kind"] == ConnectionKind.INTERNET and not row["security_points"]:
            # 二(九)2: where the register shows it, the point devices include a firewall.
            failing["wlaq.2.9.2"].append(name)
            reasons.setdefault(name, []).append(_("互连点设备中无防火墙等安全设备"))
        if not row["live_points"]:
            failing["wlaq.2.10.3"].append(name)
            reasons.setdefault(name, []).append(_("互连点设备未登记或已停用"))
    for heading, parts in _PARTS.items():
        applies[heading] = [n for part in parts for n in applies[part]]
        failing[heading] = [n for part in parts for n in failing[part]]
    per_clause = {}
    for clause in CONNECTION_CLAUSES:
        if not applies[clause]:
            per_clause[clause] = CheckResult(Status.NO_DATA, _("无适用本条的在用外联"), link)
        elif failing[clause]:
            per_clause[clause] = CheckResult(
                Status.FAILING, _("外联不符合：%(names)s") % {"names": _names(failing[clause])}, link
            )
        else:
            per_clause[clause] = CheckResult(
                Status.MET, _("%(n)s 条外联符合") % {"n": len(set(applies[clause]))}, link
            )
    if reasons:
        detail = _("；").join(f"{name}（{_('、').join(why)}）" for name, why in sorted(reasons.items())[:5])
        return CheckResult(Status.FAILING, _("外联不符合：%(detail)s") % {"detail": detail}, link, per_clause)
    return CheckResult(
        Status.MET, _("%(n)s 条外联均已批准并具备控制措施") % {"n": len(rows)}, link, per_clause
    )


@register_check("wlaq.2.8")
def wireless_exceptions_valid(*, today: dt.date) -> CheckResult:
    """二(八): no approved exception past its end (an expired one is no longer authorised),
    and every active wireless access point registered is covered by an exception
    approved and valid today. Two queries."""
    link = [(_("无线接入例外"), _WIRELESS)]
    rows = list(
        WirelessException.objects.filter(state__in=IN_FORCE).values_list(
            "location", "ssid", "state", "valid_from", "valid_until"
        )
    )
    valid_today = WirelessException.objects.filter(
        access_points=OuterRef("pk"),
        state=ApprovalState.APPROVED,
        valid_from__lte=today,
        valid_until__gte=today,
    )
    uncovered = list(
        Device.objects.filter(active=True, kind=DeviceKind.WIRELESS)
        .annotate(covered=Exists(valid_today))
        .values_list("name", "covered")
    )
    if not rows and not uncovered:
        return CheckResult(Status.NO_DATA, _("未登记无线接入例外或无线接入设备"), link)
    expired = [
        f"{location} {ssid}"
        for location, ssid, state, _start, end in rows
        if state == ApprovalState.APPROVED and end < today
    ]
    bare = [name for name, covered in uncovered if not covered]
    problems = []
    if expired:
        problems.append(_("无线接入例外已过期：%(names)s") % {"names": _names(expired)})
    if bare:
        problems.append(_("无线接入设备无有效批准：%(names)s") % {"names": _names(bare)})
    if problems:
        return CheckResult(Status.FAILING, _("；").join(problems), link)
    valid = sum(
        1 for _l, _s, state, start, end in rows if state == ApprovalState.APPROVED and start <= today <= end
    )
    return CheckResult(Status.MET, _("无过期的无线接入例外，%(n)s 项例外在有效期内") % {"n": valid}, link)


@register_check("wlaq.2.3")
def segments_isolated(*, today: dt.date) -> CheckResult:
    """二(三): every important segment states how it is isolated (firewall, VLAN, ACL)
    and — once the register holds firewalls or security devices — is guarded by one
    (named on the segment, or standing in it). Two queries."""
    link = [(_("网段登记"), _SEGMENTS)]
    security = Q(kind__in=SECURITY_KINDS, active=True)
    rows = list(
        Segment.objects.filter(important=True)
        .annotate(
            guarded=Count(
                "guards", filter=Q(guards__kind__in=SECURITY_KINDS, guards__active=True), distinct=True
            )
            + Count(
                "devices", filter=Q(devices__kind__in=SECURITY_KINDS, devices__active=True), distinct=True
            )
        )
        .values_list("name", "isolated_by_firewall", "isolated_by_vlan", "isolated_by_acl", "guarded")
    )
    if not rows:
        return CheckResult(Status.NO_DATA, _("尚未登记重要网段"), link)
    devices_known = Device.objects.filter(security).exists()
    unstated = [name for name, fw, vlan, acl, _g in rows if not (fw or vlan or acl)]
    unguarded = [name for name, *_flags, guarded in rows if devices_known and not guarded]
    problems = []
    if unstated:
        problems.append(_("重要网段未登记隔离措施：%(names)s") % {"names": _names(unstated)})
    if unguarded:
        problems.append(_("重要网段无防火墙等安全设备防护：%(names)s") % {"names": _names(unguarded)})
    if problems:
        return CheckResult(Status.FAILING, _("；").join(problems), link)
    return CheckResult(Status.MET, _("%(n)s 个重要网段均已隔离") % {"n": len(rows)}, link)
