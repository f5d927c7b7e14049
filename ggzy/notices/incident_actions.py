"""notices' playbook action for incident response (ggzy.incidents.actions): revoke an
intake API token (应急预案 第六条(二): 阻断可疑用户进入网络的通道)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.accounts.choices import RoleKey
from ggzy.incidents.actions import register_playbook_action

from .models import ApiToken
from .services import api_token_revoke


def revoke_token(*, incident, actor, reason: str, target: str) -> str:
    token = ApiToken.objects.filter(name=target, revoked_at__isnull=True).first()
    if token is None:
        raise ValidationError(_("没有名为 %(name)s 的有效接口令牌。") % {"name": target})
    api_token_revoke(token=token, actor=actor)
    return _("已吊销接口令牌 %(name)s") % {"name": token.name}


def register() -> None:
    register_playbook_action(
        "notices.revoke_api_token",
        gettext_lazy("吊销接口令牌"),
        revoke_token,
        roles=(RoleKey.SYSTEM_ADMIN, RoleKey.SECURITY_ADMIN),
        target_label=gettext_lazy("接口令牌名称"),
    )
