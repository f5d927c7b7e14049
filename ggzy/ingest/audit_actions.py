"""The audit action names the ingest app records, with their Chinese labels (the
catalogue: ``ggzy.core.actions``). Imported from the app's ``AppConfig.ready``.

The names keep the ``screening.*`` namespace they were recorded under before
ingestion became its own app, so the existing chain and history read the same.
"""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    # Spreadsheets turned into page tables (网络安全管理办法 五(二)).
    "screening.spreadsheet.uploaded": _("上传电子表格"),
    "screening.spreadsheet.refused": _("拒收电子表格"),
    "screening.spreadsheet_table.created": _("由电子表格生成页面表格"),
    # Photos lose their EXIF data (location, device) before publication.
    "screening.image.metadata_stripped": _("清除图片元数据"),
    # ClamAV refused a file (应急预案 第四条).
    "ingest.upload.malware": _("上传文件含病毒被拒绝"),
    "ingest.malware_policy.changed": _("修改病毒扫描策略"),
}

register_actions("ingest", ACTIONS)
