"""The audit action names the screening app records, with their Chinese labels (the
catalogue: ``ggzy.core.actions``; ``audit.record`` refuses a name that is not
registered). Imported from the app's ``AppConfig.ready``.
"""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    # 信息发布审核: the drafter acknowledges a warning with a reason.
    "screening.warning.acknowledged": _("确认审查提示并说明理由"),
    # 网站管理制度 第十四条: the center's own word lists imported into the lexicon.
    "screening.lexicon.imported": _("导入违禁词表"),
    "screening.lexicon.import_refused": _("拒绝导入违禁词表"),
    # 网站管理制度 第八条、第十四条: a submit or publish refused by screening (the edits kept as a draft).
    "screening.page.release_blocked": _("内容审查阻止提交或发布"),
}

register_actions("screening", ACTIONS)
