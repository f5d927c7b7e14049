from django.db import models
from django.utils.translation import gettext_lazy as _

from .regulation_text import REGULATIONS


class Regulation(models.TextChoices):
    """The 11 regulations of the 制度汇编 (key → the name people cite)."""

    WLAQ = "wlaq", _("网络安全管理办法")
    WZGL = "wzgl", _("网站管理制度")
    JF = "jf", _("网络机房管理制度")
    JK = "jk", _("监控管理制度")
    MM = "mm", _("密码、口令管理制度")
    SB = "sb", _("网络设备管理制度")
    XXFB = "xxfb", _("网站政务信息发布的管理规定")
    WH = "wh", _("网络与系统安全维护管理制度")
    YJYA = "yjya", _("网络信息安全故障应急预案")
    WB = "wb", _("技术服务外包、维护管理制度")
    LZ = "lz", _("人员离岗离职信息安全管理规定")


assert [key for key, *_ in REGULATIONS] == list(Regulation.values)  # noqa: S101  (one list, two places)


class Home(models.TextChoices):
    """Where a clause is satisfied (issue 21 §1)."""

    ENFORCED = "enforced", _("代码强制")
    CHECKED = "checked", _("实时检查")
    EVIDENCED = "evidenced", _("定期义务留痕")
    PRINCIPLE = "principle", _("原则性条款")
    UNHOMED = "unhomed", _("尚未落实")


class Status(models.TextChoices):
    """A check's result, and a clause's status (the last two only for clauses)."""

    MET = "met", _("符合")
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已逾期")
    FAILING = "failing", _("不符合")
    NO_DATA = "no_data", _("无数据")
    PRINCIPLE = "principle", _("原则性条款")
    UNHOMED = "unhomed", _("尚未落实")


CHECK_STATUSES = frozenset({Status.MET, Status.DUE_SOON, Status.OVERDUE, Status.FAILING, Status.NO_DATA})
# Worst first: a clause takes the worst status of what homes it.
SEVERITY = [Status.FAILING, Status.OVERDUE, Status.NO_DATA, Status.DUE_SOON, Status.MET]
ALERTING = frozenset({Status.FAILING, Status.OVERDUE})


class OccurrenceState(models.TextChoices):
    DUE = "due", _("待完成")
    DONE = "done", _("已完成")
    DONE_WITH_FINDINGS = "done_with_findings", _("已完成（有发现项）")
    OVERDUE = "overdue", _("已逾期")
    WAIVED = "waived", _("已豁免")


OPEN_STATES = frozenset({OccurrenceState.DUE, OccurrenceState.OVERDUE})


class NonWorkingDay(models.TextChoices):
    """How a due date that falls on a holiday or weekend moves."""

    SAME = "same", _("当天（不调整）")
    PREVIOUS = "previous", _("提前到上一个工作日")
    NEXT = "next", _("顺延到下一个工作日")


class EvidenceKind(models.TextChoices):
    NONE = "none", _("无需附件")
    FILE = "file", _("文件")
    PHOTO = "photo", _("照片")
    READING = "reading", _("读数")


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", _("是/否")
    NUMBER = "number", _("数值")
    TEXT = "text", _("文字")


# The audit actions compliance records, with their Chinese labels (for the
# audit action catalogue; the lead registers them at merge).
AUDIT_ACTIONS = {
    "compliance.clause.loaded": _("加载条款目录"),
    "compliance.obligation.loaded": _("加载定期义务"),
    "compliance.obligation.deactivated": _("停用定期义务"),
    "compliance.occurrence.generated": _("生成义务待办"),
    "compliance.occurrence.completed": _("完成义务待办"),
    "compliance.occurrence.rejected": _("义务待办提交被拒绝"),
    "compliance.occurrence.waived": _("豁免义务待办"),
    "compliance.occurrence.waive_rejected": _("豁免申请被拒绝"),
    "compliance.occurrence.overdue_marked": _("标记逾期待办"),
    "compliance.occurrence.reminded": _("发送逾期提醒"),
    "compliance.snapshot.taken": _("记录条款状态快照"),
    "compliance.calendar_feed.issued": _("生成日历订阅地址"),
    "compliance.calendar_feed.revoked": _("撤销日历订阅地址"),
    "compliance.report.exported": _("导出合规报告"),
    "compliance.followup.created": _("制定整改措施"),
    "compliance.followup.closed": _("关闭整改措施"),
    "compliance.followup.rejected": _("整改措施操作被拒绝"),
}
