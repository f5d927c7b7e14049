"""Live checks of 网络安全管理办法 四, registered with compliance (imported in
NetworkConfig.ready()). Messages name devices, never their addresses (四(三))."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.accounts.choices import RoleKey
from ggzy.compliance.choices import Status
from ggzy.compliance.registry import CheckResult, register_check, register_obligation

from . import selectors
from .choices import CONFIG_COMMANDS, AuditOutcome, PullOutcome
from .models import AuditResult, Device, DeviceAccount

_LINK = "/admin/network/"
# A device not backed up successfully for this long is overdue (pulled daily by default).
BACKUP_OVERDUE_DAYS = 2


def _pulled_devices():
    return Device.objects.filter(active=True, platform__in=list(CONFIG_COMMANDS)).order_by("name")


def _names(devices) -> str:
    return _("、").join(str(d) for d in list(devices)[:5])


@register_check("wlaq.4.2")
def configs_backed_up(*, today: dt.date) -> CheckResult:
    """四(二): every device whose configuration can be pulled was backed up in the last days."""
    devices = list(
        _pulled_devices().annotate(last_ok=Max("pulls__finished_at", filter=Q(pulls__outcome=PullOutcome.OK)))
    )
    if not devices:
        return CheckResult(Status.NO_DATA, _("尚未登记可备份配置的网络设备"))
    since = timezone.now() - dt.timedelta(days=BACKUP_OVERDUE_DAYS)
    late = [d for d in devices if d.last_ok is None or d.last_ok < since]
    if late:
        return CheckResult(
            Status.OVERDUE,
            _("%(days)s 天内未成功备份配置：%(devices)s")
            % {"days": BACKUP_OVERDUE_DAYS, "devices": _names(late)},
            [(_("网络设备"), _LINK)],
        )
    return CheckResult(
        Status.MET, _("%(count)s 台设备的配置已备份") % {"count": len(devices)}, [(_("网络设备"), _LINK)]
    )


@register_check("wlaq.4.1")
def running_matches_saved(*, today: dt.date) -> CheckResult:
    """四(一): the running and the saved configuration of every device are the same."""
    devices = list(_pulled_devices()[:500])
    if not devices:
        return CheckResult(Status.NO_DATA, _("尚未登记可备份配置的网络设备"))
    drifted = [d for d in devices if selectors.drifted(d)]
    if drifted:
        return CheckResult(
            Status.FAILING,
            _("运行配置与启动配置不一致：%(devices)s") % {"devices": _names(drifted)},
            [(_("网络设备"), _LINK)],
        )
    return CheckResult(Status.MET, _("运行配置与启动配置一致"), [(_("网络设备"), _LINK)])


@register_check("wlaq.4.4")
def changes_recorded(*, today: dt.date) -> CheckResult:
    """四(四): every new running configuration is covered by an approved change record."""
    if not Device.objects.exists():
        return CheckResult(Status.NO_DATA, _("尚未登记网络设备"))
    unapproved = selectors.unapproved_versions().order_by("device__name", "number")
    devices = sorted({v.device.name for v in unapproved[:200]})
    if devices:
        return CheckResult(
            Status.FAILING,
            _("存在未经批准的配置变更：%(devices)s") % {"devices": _("、").join(devices[:5])},
            [(_("配置变更"), _LINK + "changes/")],
        )
    return CheckResult(Status.MET, _("配置变更均有已批准的记录"), [(_("配置变更"), _LINK + "changes/")])


# The clauses the configuration audit (hardening) reads, in the order of the regulation.
AUDIT_CLAUSES = ("wlaq.2.6", "wlaq.3.4", "wlaq.5.1", "wlaq.5.2", "wlaq.7.1", "wlaq.7.2", "wlaq.7.3")


@register_check(*AUDIT_CLAUSES)
def config_audit(*, today: dt.date) -> CheckResult:
    """二(六)、三(四)、五(一)(二)、七: the audit rules on every device's latest running
    configuration. One grouped query; each clause gets its own result."""
    rows = (
        AuditResult.objects.filter(current=True, device__active=True)
        .exclude(outcome=AuditOutcome.NA)
        .values_list("clause", "outcome", "device__name")
        .distinct()
    )
    audited: dict[str, set[str]] = {}
    failing: dict[str, set[str]] = {}
    for clause, outcome, name in rows:
        audited.setdefault(clause, set()).add(name)
        if outcome == AuditOutcome.FAIL:
            failing.setdefault(clause, set()).add(name)
    link = [(_("网络设备"), _LINK)]
    per_clause = {}
    for clause in AUDIT_CLAUSES:
        if clause not in audited:
            per_clause[clause] = CheckResult(Status.NO_DATA, _("尚无已审核的设备配置"), link)
        elif failing.get(clause):
            per_clause[clause] = CheckResult(
                Status.FAILING,
                _("配置审核不符合：%(devices)s") % {"devices": _names(sorted(failing[clause]))},
                link,
            )
        else:
            per_clause[clause] = CheckResult(
                Status.MET, _("%(count)s 台设备的配置审核符合") % {"count": len(audited[clause])}, link
            )
    if not audited:
        return CheckResult(Status.NO_DATA, _("尚无已审核的设备配置"), link, per_clause)
    bad = sorted(set().union(*failing.values())) if failing else []
    if bad:
        return CheckResult(
            Status.FAILING, _("配置审核不符合：%(devices)s") % {"devices": _names(bad)}, link, per_clause
        )
    devices = set().union(*audited.values())
    return CheckResult(
        Status.MET, _("%(count)s 台设备的配置审核符合") % {"count": len(devices)}, link, per_clause
    )


@register_check("wlaq.3.1", "wlaq.3.2", "wlaq.3.3")
def device_accounts(*, today: dt.date) -> CheckResult:
    """三(一)(二)(三): every device account has one registered holder, and a super-user
    account is held by the device's 直接责任人 only. Two queries (accounts, holders)."""
    link = [(_("设备账号持有人"), _LINK + "registers/accounts/")]
    if not DeviceAccount.objects.filter(current=True, device__active=True).exists():
        return CheckResult(Status.NO_DATA, _("尚未从设备配置读取到账号"), link)
    findings = selectors.account_findings()
    per_clause = {}
    for clause in ("wlaq.3.1", "wlaq.3.2", "wlaq.3.3"):
        mine = [f for f in findings if clause in f.clauses]
        if mine:
            names = _("、").join(f"{f.device.name}/{f.account}" for f in mine[:5])
            per_clause[clause] = CheckResult(
                Status.FAILING, _("设备账号不符合：%(accounts)s") % {"accounts": names}, link
            )
        else:
            per_clause[clause] = CheckResult(
                Status.MET, _("设备账号均有唯一持有人，超级用户由直接责任人持有"), link
            )
    if findings:
        names = _("、").join(f"{f.device.name}/{f.account}" for f in findings[:5])
        return CheckResult(
            Status.FAILING, _("设备账号不符合：%(accounts)s") % {"accounts": names}, link, per_clause
        )
    return CheckResult(Status.MET, _("设备账号均有唯一持有人，超级用户由直接责任人持有"), link, per_clause)


@register_check("wlaq.6")
def software_current(*, today: dt.date) -> CheckResult:
    """六: no active device below the target software version of its register entry."""
    link = [(_("网络设备"), _LINK)]
    if not Device.objects.filter(active=True).exclude(target_version="").exists():
        return CheckResult(Status.NO_DATA, _("尚未登记设备的目标软件版本"), link)
    late = selectors.below_target()
    if late:
        return CheckResult(
            Status.FAILING, _("软件版本低于目标版本：%(devices)s") % {"devices": _names(late)}, link
        )
    return CheckResult(Status.MET, _("设备软件版本均不低于目标版本"), link)


# 四(五): 定期 the configurations are checked against the current network and the check is
# recorded in detail — read as once a quarter; the configuration audit (above) and the
# account findings are the material, the 网络管理员 records the review.
register_obligation(
    key="wlaq-config-review",
    title=_("网络设备配置定期检查与分析"),
    clauses=["wlaq.4.5"],
    owner_role=RoleKey.NETWORK_ADMIN,
    rrule="FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1",
    starts_on=dt.date(2026, 1, 1),
    non_working_day="previous",
    evidence="none",
    checklist=[
        {
            "key": "audit_reviewed",
            "label": _("已逐台查看配置审核结果，不符合项已处理或登记变更"),
            "type": "yes_no",
            "expected": True,
        },
        {
            "key": "matches_network",
            "label": _("配置与当前网络状况（拓扑、网段、外联）相符"),
            "type": "yes_no",
            "expected": True,
        },
        {
            "key": "accounts_reviewed",
            "label": _("设备账号与持有人登记已核对"),
            "type": "yes_no",
            "expected": True,
        },
        {"key": "record", "label": _("检查与分析记录"), "type": "text"},
    ],
)
