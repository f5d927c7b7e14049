"""The audit action names the screening app records, with their Chinese labels (the
catalogue: ``ggzy.core.actions``; ``audit.record`` refuses a name that is not
registered). Imported from the app's ``AppConfig.ready``.
"""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    # Spreadsheets turned into page tables (网络安全管理办法 五(二)).
    "screening.spreadsheet.uploaded": _("上传电子表格"),
    "screening.spreadsheet.refused": _("拒收电子表格"),
    "screening.spreadsheet_table.created": _("由电子表格生成页面表格"),
    # 信息发布审核: the drafter acknowledges a warning with a reason.
    "screening.warning.acknowledged": _("确认审查提示并说明理由"),
    # 网站管理制度 第十四条: the center's own word lists imported into the lexicon.
    "screening.lexicon.imported": _("导入违禁词表"),
    "screening.lexicon.import_refused": _("拒绝导入违禁词表"),
    # Photos lose their EXIF data (location, device) before publication.
    "screening.image.metadata_stripped": _("清除图片元数据"),
}

register_actions("screening", ACTIONS)
