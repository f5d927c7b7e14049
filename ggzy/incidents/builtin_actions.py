"""The playbook actions incidents can do itself, through the services of the apps
below it: lock a ggzy account and end its sessions (accounts; 应急预案 第六条(二)).
Apps above register theirs (sitebuild: restore from the signed manifest; notices:
revoke an API token) from their own ready()."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import User
from ggzy.accounts.services import user_lock

from .actions import register_playbook_action


def lock_user(*, incident, actor, reason: str, target: str) -> str:
    user = User.objects.filter(username__iexact=target).first()
    if user is None:
        raise ValidationError(_("没有用户名为 %(name)s 的账号。") % {"name": target})
    ended = user_lock(
        user=user,
        actor=actor,
        reason=_("安全事件 #%(pk)s：%(reason)s") % {"pk": incident.pk, "reason": reason},
    )
    return _("已封锁账号 %(name)s，结束会话 %(n)d 个") % {"name": user.username, "n": ended}


register_playbook_action(
    "accounts.lock_user",
    gettext_lazy("封锁账号并结束其会话"),
    lock_user,
    roles=(RoleKey.SECURITY_ADMIN, RoleKey.SYSTEM_ADMIN),
    target_label=gettext_lazy("要封锁的用户名"),
)
