"""The audit action names the audit app records, with their Chinese labels (the
catalogue: ``ggzy.core.actions``). Imported from ``AuditConfig.ready``.

Three kinds:

- the audit app's own events (reads, exports, grants, reviews: 网络安全管理办法 五);
- the names the receivers in ``receivers.py`` record for Django's and Wagtail's
  own paths: logout and group/permission changes, and every Wagtail page or
  workflow log action (``page_action_name``), whose set is closed: Wagtail's
  registered log actions, listed below (a test compares them with Wagtail's
  registry, so a Wagtail upgrade that adds one fails until it has a label);
- the model log family (``model_action_name``): every create/edit/delete (and
  other Wagtail action) of any model edited in the Wagtail admin, and every
  export from an ``AuditedExportIndexView`` listing. That set is open by
  construction: each new ``ModelViewSet``, snippet or setting of any app adds
  models (Wagtail logs every ``models.Model``), so it is registered as a family
  whose label is the model's verbose name and a Chinese verb; a name is
  registered only if its model is installed and its verb is one of ours.
"""

from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_action_family, register_actions

from .receivers import _RECORDED_ELSEWHERE, page_action_name

OWN_ACTIONS = {
    "audit.log.viewed": _("查阅审计日志"),
    "audit.log.exported": _("导出审计日志"),
    "audit.log.access_denied": _("拒绝查阅审计日志"),
    "audit.log.purged": _("清理已归档的审计日志"),
    "audit.anomalies.viewed": _("查看日志异常"),
    "audit.grant.requested": _("申请查阅审计日志"),
    "audit.grant.approved": _("批准查阅审计日志"),
    "audit.grant.rejected": _("驳回查阅审计日志申请"),
    "audit.grant.revoked": _("撤销审计日志查阅授权"),
    "audit.review.recorded": _("记录日志审查"),
}

# Recorded by receivers.py from Django's auth signals and group/permission changes.
# (accounts.login.succeeded/failed are identity's own names: ggzy/accounts/audit_actions.py.)
RECEIVER_ACTIONS = {
    "accounts.logout.succeeded": _("退出登录"),
    "accounts.group.changed": _("变更用户角色"),
    "accounts.group.permissions_changed": _("变更角色权限"),
    "accounts.group.created": _("新建角色"),
    "accounts.group.updated": _("修改角色"),
    "accounts.group.deleted": _("删除角色"),
    "accounts.group.page_permission_added": _("增加角色页面权限"),
    "accounts.group.page_permission_changed": _("修改角色页面权限"),
    "accounts.group.page_permission_removed": _("删除角色页面权限"),
}

# Wagtail's registered log actions (wagtail/wagtail_hooks.py) as page_action_name
# names them. wagtail.apitoken.* is logged against API tokens, never a page.
WAGTAIL_PAGE_ACTIONS = {
    "wagtail.create": _("新建页面"),
    "wagtail.edit": _("编辑页面"),
    "wagtail.delete": _("删除页面"),
    "wagtail.publish": _("发布页面"),
    "wagtail.publish.scheduled": _("按计划发布页面"),
    "wagtail.unpublish": _("取消发布页面"),
    "wagtail.unpublish.scheduled": _("按计划取消发布页面"),
    "wagtail.lock": _("锁定页面"),
    "wagtail.unlock": _("解锁页面"),
    "wagtail.moderation.approve": _("审核通过页面"),
    "wagtail.moderation.reject": _("审核退回页面"),
    "wagtail.rename": _("页面改名"),
    "wagtail.revert": _("页面恢复到历史版本"),
    "wagtail.copy": _("复制页面"),
    "wagtail.copy_for_translation": _("复制页面用于翻译"),
    "wagtail.create_alias": _("创建页面别名"),
    "wagtail.convert_alias": _("页面别名转为普通页面"),
    "wagtail.move": _("移动页面"),
    "wagtail.reorder": _("调整页面顺序"),
    "wagtail.publish.schedule": _("设置页面定时发布"),
    "wagtail.schedule.cancel": _("取消页面定时发布"),
    "wagtail.view_restriction.create": _("设置页面访问限制"),
    "wagtail.view_restriction.edit": _("修改页面访问限制"),
    "wagtail.view_restriction.delete": _("删除页面访问限制"),
    "wagtail.comments.create": _("添加页面批注"),
    "wagtail.comments.edit": _("修改页面批注"),
    "wagtail.comments.delete": _("删除页面批注"),
    "wagtail.comments.resolve": _("解决页面批注"),
    "wagtail.comments.create_reply": _("回复页面批注"),
    "wagtail.comments.edit_reply": _("修改页面批注回复"),
    "wagtail.comments.delete_reply": _("删除页面批注回复"),
    "wagtail.workflow.start": _("提交审核（启动工作流）"),
    "wagtail.workflow.approve": _("审核通过"),
    "wagtail.workflow.reject": _("审核退回"),
    "wagtail.workflow.resume": _("重新提交审核"),
    "wagtail.workflow.cancel": _("撤回审核（取消工作流）"),
}
WAGTAIL_NOT_FOR_PAGES = ("wagtail.apitoken.",)

# The verbs model_action_name produces from Wagtail's log actions, plus the
# exports of audit.export.AuditedExportIndexView.
MODEL_VERBS = {
    "created": _("新建"),
    "updated": _("修改"),
    "deleted": _("删除"),
    "exported": _("导出"),
    "create": _("新建"),
    "edit": _("修改"),
    "delete": _("删除"),
    "revoke": _("撤销"),
    "publish": _("发布"),
    "unpublish": _("取消发布"),
    "scheduled": _("按计划发布或取消发布"),
    "schedule": _("设置定时发布"),
    "cancel": _("取消"),
    "lock": _("锁定"),
    "unlock": _("解锁"),
    "approve": _("审核通过"),
    "reject": _("审核退回"),
    "rename": _("改名"),
    "revert": _("恢复到历史版本"),
    "copy": _("复制"),
    "copy_for_translation": _("复制用于翻译"),
    "create_alias": _("创建别名"),
    "convert_alias": _("别名转为普通对象"),
    "move": _("移动"),
    "reorder": _("调整顺序"),
    "resolve": _("解决批注"),
    "create_reply": _("回复批注"),
    "edit_reply": _("修改批注回复"),
    "delete_reply": _("删除批注回复"),
    "start": _("启动工作流"),
    "resume": _("重新提交审核"),
}
MODEL_FAMILY_PATTERN = r"(?P<app>[a-z][a-z0-9_]*)\.(?P<model>[a-z][a-z0-9_]*)\.(?P<verb>[a-z][a-z0-9_]*)"


def model_action_label(match) -> str | None:
    """``core.holiday.updated`` → ``节假日：修改``; None for an unknown model or verb."""
    app_label, model_name, verb = match.group("app", "model", "verb")
    if (app_label, model_name) in _RECORDED_ELSEWHERE or verb not in MODEL_VERBS:
        return None
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    return gettext("%(model)s：%(verb)s") % {"model": model._meta.verbose_name, "verb": MODEL_VERBS[verb]}


def _page_actions() -> dict:
    names = {page_action_name(action): label for action, label in WAGTAIL_PAGE_ACTIONS.items()}
    if len(names) != len(WAGTAIL_PAGE_ACTIONS):
        raise ValueError("two Wagtail log actions map to one audit action name")
    return names


register_actions("audit", OWN_ACTIONS)
register_actions("audit", RECEIVER_ACTIONS)
register_actions("audit", _page_actions())
register_action_family(
    "audit",
    pattern=MODEL_FAMILY_PATTERN,
    label=model_action_label,
    description=_("<应用>.<模型>.<动作>：后台对任一模型的新建、修改、删除、导出等操作"),
)
