"""The audit action names the sitebuild app records, with their Chinese labels (the
catalogue: ``ggzy.core.actions``; ``audit.record`` refuses a name that is not
registered). Imported from the app's ``AppConfig.ready``.
"""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    "sitebuild.site.tampered": _("发现网页被篡改"),
    # 网站管理制度 第十八条; 应急预案 第六条 (一): the finding reaches a person by e-mail.
    "sitebuild.tamper.alerted": _("发送网页篡改告警邮件"),
    "sitebuild.tampercheck.access_denied": _("拒绝查看网页防篡改检查"),
    # 应急预案 第六条(一)/(三): the public site down to the maintenance page, and back.
    "sitebuild.site.taken_down": _("网站下线（维护页）"),
    "sitebuild.site.brought_back": _("网站恢复对外服务"),
    "sitebuild.links.checked": _("检查网站不可用链接"),
    # 政府网站检查指标: the monthly website report, stored on the 1st and downloaded.
    "sitebuild.website_report.stored": _("生成并保存网站月报"),
    "sitebuild.website_report.exported": _("下载网站月报"),
}

register_actions("sitebuild", ACTIONS)
