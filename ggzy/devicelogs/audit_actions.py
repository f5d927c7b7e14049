"""The audit action names the devicelogs app records (``ggzy.core.actions``)."""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    "devicelogs.grant.requested": _("申请查阅设备日志"),
    "devicelogs.grant.approved": _("批准设备日志查阅申请"),
    "devicelogs.grant.rejected": _("驳回设备日志查阅申请"),
    "devicelogs.grant.revoked": _("撤销设备日志查阅授权"),
    "devicelogs.log.searched": _("检索设备日志"),
    "devicelogs.log.access_denied": _("设备日志访问被拒绝"),
    "devicelogs.log.archived": _("归档设备日志（压缩并入链）"),
    "devicelogs.log.purged": _("清理超过保存期限的设备日志"),
    "devicelogs.archive.verified": _("校验设备日志归档链"),
}
register_actions("devicelogs", ACTIONS)
