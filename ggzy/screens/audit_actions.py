"""The audit action names the screens app records, with their Chinese labels
(``ggzy.core.actions``). Imported from the app's ``AppConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    "screens.register.saved": _("保存电子屏登记"),
    "screens.files.repaired": _("电子屏页面文件被改动，已按已发布信息恢复"),
}

register_actions("screens", ACTIONS)
