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


class TradeType(models.TextChoices):
    """The four trading types of the home page's 交易信息 (the first part of a kind)."""

    CONSTRUCTION = "construction", _("建设工程")
    PROCUREMENT = "procurement", _("政府采购")
    PROPERTY = "property", _("产权交易")
    LAND = "land", _("国土交易")


class Stage(models.TextChoices):
    """Where a notice stands in its project: 公告 → 变更 → 公示/结果."""

    NOTICE = "notice", _("公告")
    CHANGE = "change", _("变更")
    RESULT = "result", _("公示/结果")


KIND_STAGES = {
    NoticeKind.CONSTRUCTION_TENDER: Stage.NOTICE,
    NoticeKind.CONSTRUCTION_PREQUALIFICATION: Stage.RESULT,
    NoticeKind.CONSTRUCTION_CANDIDATES: Stage.RESULT,
    NoticeKind.CONSTRUCTION_RESULT: Stage.RESULT,
    NoticeKind.PROCUREMENT_TENDER: Stage.NOTICE,
    NoticeKind.PROCUREMENT_CHANGE: Stage.CHANGE,
    NoticeKind.PROCUREMENT_RESULT: Stage.RESULT,
    NoticeKind.PROPERTY_TRANSFER: Stage.NOTICE,
    NoticeKind.PROPERTY_RESULT: Stage.RESULT,
    NoticeKind.LAND_GRANT: Stage.NOTICE,
    NoticeKind.LAND_RESULT: Stage.RESULT,
}

# The project view's order (招标公告 → 变更 → 资格预审/候选人公示 → 结果).
KIND_ORDER = {
    NoticeKind.CONSTRUCTION_TENDER: 0,
    NoticeKind.PROCUREMENT_TENDER: 0,
    NoticeKind.PROPERTY_TRANSFER: 0,
    NoticeKind.LAND_GRANT: 0,
    NoticeKind.PROCUREMENT_CHANGE: 1,
    NoticeKind.CONSTRUCTION_PREQUALIFICATION: 2,
    NoticeKind.CONSTRUCTION_CANDIDATES: 3,
    NoticeKind.CONSTRUCTION_RESULT: 4,
    NoticeKind.PROCUREMENT_RESULT: 4,
    NoticeKind.PROPERTY_RESULT: 4,
    NoticeKind.LAND_RESULT: 4,
}

# The party that puts a project out, as each trading type calls it (the public page
# and the editor label the owner field with it, never "招标人/采购人/转让方").
OWNER_LABELS = {
    TradeType.CONSTRUCTION: _("招标人"),
    TradeType.PROCUREMENT: _("采购人"),
    TradeType.PROPERTY: _("转让方"),
    TradeType.LAND: _("出让人"),
}


def trade_type_of(kind: str) -> str:
    return kind.split(".", 1)[0]
