"""The audit action names identity records, with their Chinese labels (the
catalogue: ``ggzy.core.actions``). Imported from ``AccountsConfig.ready``.

``accounts.events.emit`` and ``audit.record`` refuse a name that is not here
(or registered by another app). The departure names are registered in
``departures.py``, where they are recorded; group and logout names are
registered by the audit receivers that record them.
"""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    # 网络安全管理办法 五(二): sign-in (Django's signals and the lockout).
    "accounts.login.succeeded": _("登录成功"),
    "accounts.login.failed": _("登录失败"),
    "accounts.login.locked_out": _("登录失败次数过多，账号锁定"),
    "accounts.session.expired": _("会话超时退出"),
    # 网络安全管理办法 七(二): admin reachable only from the allowed networks.
    "accounts.admin_access.refused": _("拒绝非许可网络访问后台"),
    # Users.
    "accounts.user.created": _("新建用户"),
    "accounts.user.updated": _("修改用户"),
    "accounts.user.deleted": _("删除用户"),
    "accounts.user.unlocked": _("解除账号锁定"),
    "accounts.user.disabled_dormant": _("停用长期未登录账号"),
    "accounts.user.locked": _("应急封锁账号并结束会话"),
    # 密码、口令管理制度.
    "accounts.password.changed": _("本人修改口令"),
    "accounts.password.reset": _("管理员重置口令"),
    # Two-factor authentication.
    "accounts.mfa.enrolled": _("绑定双因素认证"),
    "accounts.mfa.enrolment_failed": _("绑定双因素认证失败"),
    "accounts.mfa.verified": _("双因素认证通过"),
    "accounts.mfa.failed": _("双因素认证失败"),
    "accounts.mfa.recovery_codes_regenerated": _("重新生成恢复码"),
    "accounts.mfa.reset": _("重置双因素认证"),
}

register_actions("accounts", ACTIONS)
