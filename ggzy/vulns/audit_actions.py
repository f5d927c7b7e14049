"""The audit action names vulnerability management records (ggzy.core.actions)."""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    "vulns.plan.created": _("编制扫描方案"),
    "vulns.plan.decided": _("审批扫描方案"),
    "vulns.scan.started": _("发起漏洞扫描"),
    "vulns.scan.refused": _("漏洞扫描被拒绝（超出方案）"),
    "vulns.scan.finished": _("漏洞扫描完成"),
    "vulns.scan.failed": _("漏洞扫描失败"),
    "vulns.scan.imported": _("导入扫描结果"),
    "vulns.import.refused": _("扫描结果导入被拒绝"),
    "vulns.finding.assigned": _("指定安全隐患责任人"),
    "vulns.host.dismissed": _("忽略未登记主机"),
    "vulns.finding.closed": _("关闭安全隐患"),
    "vulns.finding.reopened": _("安全隐患复现"),
    "vulns.analysis.saved": _("起草扫描结果联合分析"),
    "vulns.endpoint.recorded": _("登记终端防护状况"),
    "vulns.software.approved": _("登记准许安装的软件"),
    "vulns.software.inventoried": _("导入计算机软件清点"),
    "vulns.analysis.signed": _("联合分析签字"),
}
register_actions("vulns", ACTIONS)
