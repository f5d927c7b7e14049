from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Labels translated once per language. ``get_FOO_display`` hashes every lazy
# label of the field's choices, and each lazy label is a gettext call; the
# labels are Chinese msgids with no catalog entry, so every call misses through
# the whole fallback chain (issue 8: ~9 % of a static build's time).
_labels: dict[tuple, str] = {}


def choice_label(field, value):
    """What ``instance.get_<field>_display()`` gives for ``value``."""
    key = (field, make_hashable(value), get_language())
    if key not in _labels:
        choices = dict(make_hashable(field.flatchoices))
        _labels[key] = force_str(choices.get(make_hashable(value), value), strings_only=True)
    return _labels[key]


def field_label(field) -> str:
    """``str(field.verbose_name)``."""
    key = (field, None, get_language())
    if key not in _labels:
        _labels[key] = str(field.verbose_name)
    return _labels[key]


def enum_label(choices: type[models.Choices], value) -> str:
    """``str(choices(value).label)``."""
    key = (choices, value, get_language())
    if key not in _labels:
        _labels[key] = str(choices(value).label)
    return _labels[key]


class UpdateTimeLimit(models.TextChoices):
    """更新时限 from the table 《网站栏目信息发布分类》."""

    REALTIME = "realtime", _("实时更新")
    DAILY = "daily", _("每天更新")
    DAILY_FOUR = "daily_four", _("每天更新发布4篇")
    ON_APPROVAL = "on_approval", _("审核无误即时发布")


class FontFamily(models.TextChoices):
    SONG = "宋体", _("宋体")
    HEI = "黑体", _("黑体")
    FANGSONG = "仿宋", _("仿宋")
    KAI = "楷体", _("楷体")
    YAHEI = "微软雅黑", _("微软雅黑")


# CSS font stacks: the named Chinese font first, then what Linux/macOS carry.
FONT_STACKS = {
    FontFamily.SONG: '"SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif',
    FontFamily.HEI: '"SimHei", "黑体", "Heiti SC", "Noto Sans CJK SC", sans-serif',
    FontFamily.FANGSONG: '"FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC", serif',
    FontFamily.KAI: '"KaiTi", "楷体", "STKaiti", "Noto Serif CJK SC", serif',
    FontFamily.YAHEI: '"Microsoft YaHei", "微软雅黑", "PingFang SC", "Noto Sans CJK SC", sans-serif',
}


class FontSize(models.TextChoices):
    """Chinese typographic sizes (字号) as used in government documents."""

    SIZE_2 = "二号", _("二号")
    SIZE_S2 = "小二", _("小二")
    SIZE_3 = "三号", _("三号")
    SIZE_S3 = "小三", _("小三")
    SIZE_4 = "4号", _("4号")
    SIZE_S4 = "小四", _("小四")
    SIZE_5 = "五号", _("五号")


FONT_SIZE_POINTS = {
    FontSize.SIZE_2: "22pt",
    FontSize.SIZE_S2: "18pt",
    FontSize.SIZE_3: "16pt",
    FontSize.SIZE_S3: "15pt",
    FontSize.SIZE_4: "14pt",
    FontSize.SIZE_S4: "12pt",
    FontSize.SIZE_5: "10.5pt",
}


class FontColor(models.TextChoices):
    BLACK = "#000000", _("黑色")
    DARK_GREY = "#333333", _("深灰色")
    RED = "#c00000", _("红色")


class ColumnType(models.TextChoices):
    """Column kind, published in the ColumnType <meta> tag."""

    OVERVIEW = "overview", _("机构概况")
    NEWS = "news", _("工作动态")
    NOTICE = "notice", _("通知公告")
    TRADING = "trading", _("交易信息")
    GUIDE = "guide", _("办事指南")
    POLICY = "policy", _("政策法规")
    RESEARCH = "research", _("理论研究")
    DOWNLOAD = "download", _("资料下载")
    TOPIC = "topic", _("专题专栏")
    CULTURE = "culture", _("文化园地")
    PICTURE = "picture", _("图片")
