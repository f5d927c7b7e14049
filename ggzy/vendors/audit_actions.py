"""The audit action names the vendors app records (``ggzy.core.actions``)."""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    "vendors.request.submitted": _("提交业务外包申请"),
    "vendors.request.decided": _("批示业务外包申请"),
    "vendors.vendor.created": _("登记外包承包商"),
    "vendors.staff.added": _("登记承包商人员"),
    "vendors.selection.recorded": _("登记选定承包商记录"),
    "vendors.contract.created": _("登记外包合同"),
    "vendors.evaluation.recorded": _("登记承包商考核"),
    "vendors.visit.requested": _("申请上门服务"),
    "vendors.visit.reviewed": _("审核上门服务"),
    "vendors.visit.decided": _("批准上门服务"),
    "vendors.visit.arrived": _("登记上门人员到达"),
    "vendors.visit.entry_refused": _("拒绝未经批准的上门登记"),
    "vendors.visit.departed": _("登记上门人员离开"),
    "vendors.remote.recorded": _("登记远程服务"),
    "vendors.upgrade.filed": _("报备版本升级"),
    "vendors.upgrade.reviewed": _("信息科审核版本升级"),
    "vendors.upgrade.decided": _("中心领导批示版本升级"),
    "vendors.upgrade.executed": _("登记版本升级实施"),
    "vendors.upgrade.result_recorded": _("登记版本升级结果"),
    "vendors.upgrade.finding_resolved": _("处理未经批准的版本升级"),
}
register_actions("vendors", ACTIONS)
