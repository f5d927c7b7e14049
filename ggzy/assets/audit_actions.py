"""The audit action names the assets app records (``ggzy.core.actions``)."""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    "assets.asset.created": _("登记资产"),
    "assets.asset.imported": _("导入资产台账"),
    "assets.asset.import_rejected": _("拒绝导入资产台账"),
    "assets.asset.assigned": _("资产领用"),
    "assets.asset.returned": _("资产归还"),
    "assets.repair.reported": _("报修"),
    "assets.repair.taken": _("受理报修"),
    "assets.repair.resolved": _("完成报修"),
    "assets.disposal.appraised": _("资产技术鉴定"),
    "assets.disposal.approved": _("批准资产报废"),
    "assets.disposal.disposed": _("资产报废处置"),
}
register_actions("assets", ACTIONS)
