"""Live checks of 网络安全管理办法 四, registered with compliance (imported in
NetworkConfig.ready()). Messages name devices, never their addresses (四(三))."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.compliance.choices import Status
from ggzy.compliance.registry import CheckResult, register_check

from . import selectors
from .choices import CONFIG_COMMANDS, PullOutcome
from .models import Device

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
