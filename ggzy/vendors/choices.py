from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", _("待中心主任批准")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class SelectionMethod(models.TextChoices):
    """技术服务外包、维护管理制度 六."""

    TENDER = "tender", _("招标")
    NEGOTIATION = "negotiation", _("竞争性谈判")


class VisitState(models.TextChoices):
    """外包 九: 网络管理员审核 → 信息科负责人批准 → 进入现场."""

    REQUESTED = "requested", _("待网络管理员审核")
    REVIEWED = "reviewed", _("待信息科负责人批准")
    APPROVED = "approved", _("已批准，可进入现场")
    REJECTED = "rejected", _("未通过")
    ON_SITE = "on_site", _("在场")
    DONE = "done", _("已离场")


class UpgradeState(models.TextChoices):
    """外包 十: 报信息科备案 → 中心领导批准 → 操作 → 结果."""

    FILED = "filed", _("已报备，待信息科审核")
    REVIEWED = "reviewed", _("信息科已审核，待中心领导批准")
    APPROVED = "approved", _("已批准，可实施")
    REJECTED = "rejected", _("未批准")
    EXECUTED = "executed", _("已实施，待登记结果")
    DONE = "done", _("已完成")


class UpgradeResult(models.TextChoices):
    SUCCESS = "success", _("成功")
    ROLLED_BACK = "rolled_back", _("失败，已回退")
    FAILED = "failed", _("失败")


# 外包 七: the scoring checklist of a vendor evaluation (criterion, label, maximum).
EVALUATION_CRITERIA = (
    ("quality", _("服务质量（合同/协议要求的履行）"), 30),
    ("timeliness", _("响应与完成时效（SLA）"), 25),
    ("safety", _("安全与操作规范（现场安全措施、制度执行）"), 25),
    ("cooperation", _("服从调度与配合（八）"), 20),
)
# Below this total an evaluation is a finding (不合格).
EVALUATION_PASS_MARK = 60
