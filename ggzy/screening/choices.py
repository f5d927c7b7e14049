from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    BLOCK = "block", _("阻止发布")
    WARN = "warn", _("警告（需审核确认）")


class LexiconCategory(models.TextChoices):
    """Categories of prohibited content, from 网站管理制度 第十四条 (一)–(九) and
    网站政务信息发布的管理规定 一(四) 1–10."""

    ANTI_CONSTITUTION = "anti_constitution", _("反对宪法、抗拒法律实施")  # 第十四条(一); (四)1
    SUBVERSION = "subversion", _("颠覆国家政权、危害国家安全")  # 第十四条(二); (四)2
    SEPARATISM = "separatism", _("分裂国家、破坏国家统一")  # 第十四条(三); (四)2
    STATE_SECRET = "state_secret", _("泄露国家秘密")  # (四)2; 一(二)
    NATIONAL_HONOUR = "national_honour", _("损害国家荣誉和利益")  # (四)3
    ETHNIC_HATRED = "ethnic_hatred", _("民族仇恨、民族歧视")  # 第十四条(四); (四)4
    CULT_SUPERSTITION = "cult_superstition", _("邪教、封建迷信")  # 第十四条(六); (四)5
    RUMOUR = "rumour", _("谣言、扰乱社会秩序")  # 第十四条(五); (四)6
    OBSCENITY = "obscenity", _("淫秽、色情")  # 第八条; 第十四条(六); (四)7
    GAMBLING = "gambling", _("赌博")  # 第十四条(六); (四)7
    VIOLENCE_TERROR = "violence_terror", _("暴力、凶杀、恐怖、教唆犯罪")  # 第十四条(六); (四)7
    DEFAMATION = "defamation", _("侮辱、诽谤他人")  # 第十四条(七); (四)8
    ILLEGAL_OTHER = "illegal_other", _("其他违法违规内容")  # 第十四条(九); (四)10
    # 第十四条(八) 损害中心形象 and (四)9 侵犯知识产权 have no category: no word list
    # catches them; the 信息发布管理小组 step's checklist does (publishing).
