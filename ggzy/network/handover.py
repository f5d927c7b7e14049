"""The device accounts a departing person holds (网络安全管理办法 三(二)(三); 人员离岗离职信息
安全管理规定 第二条): registered with departures' handover registry. An account is
outstanding while a device's latest running configuration still has it; it is handed
over once it is deleted from the devices (seen at the next pull) or its holder row
names someone else."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ggzy.departures.handover import HandoverEntry, register_handover_source

from .selectors import accounts_held_by


def device_accounts_of(user) -> list[HandoverEntry]:
    entries = []
    for row, present in accounts_held_by(user):
        where = row.device.name if row.device_id else _("所有设备")
        if present:
            for account in present:
                entries.append(
                    HandoverEntry(
                        source=_("网络设备账号"),
                        label=f"{account.device.name}：{account.name}",
                        detail=_("权限级别 %(level)s") % {"level": account.privilege},
                        url=reverse("network_device", args=[account.device_id]),
                        outstanding=True,
                        status=_("待删除或移交"),
                    )
                )
        else:
            entries.append(
                HandoverEntry(
                    source=_("网络设备账号"),
                    label=f"{where}：{row.account}",
                    detail=_("设备配置中已无此账号"),
                    outstanding=False,
                    status=_("已删除"),
                )
            )
    return entries


def register() -> None:
    register_handover_source("network", device_accounts_of)
