"""Kinds of trading announcement (网站栏目信息发布分类 5.x) and their units."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    """The kind strings the trading system sends to the intake API (issue 7)."""

    CONSTRUCTION_TENDER = "construction.tender", _("建设工程招标公告")
    CONSTRUCTION_PREQUALIFICATION = "construction.prequalification", _("拦标价、资格预审公示")
    CONSTRUCTION_CANDIDATES = "construction.candidates", _("中标候选人公示")
    CONSTRUCTION_RESULT = "construction.result", _("中标结果公示")
    PROCUREMENT_TENDER = "procurement.tender", _("政府采购公告")
    PROCUREMENT_CHANGE = "procurement.change", _("政府采购变更公告")
    PROCUREMENT_RESULT = "procurement.result", _("政府采购结果公告")
    PROPERTY_TRANSFER = "property.transfer", _("产权转让公告")
    PROPERTY_RESULT = "property.result", _("产权交易成交公示")
    LAND_GRANT = "land.grant", _("国有土地使用权出让公告")
    LAND_RESULT = "land.result", _("国有土地使用权出让结果公示")


# Where each kind lives (column slug path below the home) and which 科室 sends it.
KIND_COLUMNS = {
    NoticeKind.CONSTRUCTION_TENDER: "jyxx/jsgc/zbgg",
    NoticeKind.CONSTRUCTION_PREQUALIFICATION: "jyxx/jsgc/lbzgys",
    NoticeKind.CONSTRUCTION_CANDIDATES: "jyxx/jsgc/zbgs",
    NoticeKind.CONSTRUCTION_RESULT: "jyxx/jsgc/zbgs",
    NoticeKind.PROCUREMENT_TENDER: "jyxx/zfcg/cggg",
    NoticeKind.PROCUREMENT_CHANGE: "jyxx/zfcg/bggg",
    NoticeKind.PROCUREMENT_RESULT: "jyxx/zfcg/jggg",
    NoticeKind.PROPERTY_TRANSFER: "jyxx/cqjy/zrgg",
    NoticeKind.PROPERTY_RESULT: "jyxx/cqjy/cjgs",
    NoticeKind.LAND_GRANT: "jyxx/gtjy/crgg",
    NoticeKind.LAND_RESULT: "jyxx/gtjy/jggs",
}

KIND_DEPARTMENTS = {
    "construction": "jianshe",
    "procurement": "caigou",
    "property": "chanquan",
    "land": "guotu",
}


def kind_department(kind: str) -> str:
    return KIND_DEPARTMENTS[kind.split(".", 1)[0]]


class MoneyUnit(models.TextChoices):
    YUAN = "yuan", _("元")
    WAN_YUAN = "wan_yuan", _("万元")


class NoticeStatus(models.TextChoices):
    """What the intake API reports for a pushed notice."""

    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in review", _("审核中")
    PUBLISHED = "published", _("已发布")
    REJECTED = "rejected", _("已退回")
