"""Who may do what in the vault's Wagtail viewset (registered in CredentialsConfig.ready())."""

from wagtail.permission_policies.base import ModelPermissionPolicy

from ggzy.accounts.choices import RoleKey

from .choices import CredentialStatus
from .selectors import credentials_visible_to, may_manage, may_open_vault, may_view, role_keys_of


class CredentialPermissionPolicy(ModelPermissionPolicy):
    """By role, department and holder list (selectors); never by the superuser
    flag or model permissions. Nobody deletes: a credential is retired."""

    def user_has_permission(self, user, action):
        if action == "view":
            return may_open_vault(user)
        if action in ("add", "change"):
            roles = role_keys_of(user)
            return RoleKey.NETWORK_ADMIN in roles or RoleKey.DEPARTMENT_HEAD in roles
        return False

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return may_view(user, instance)
        if action == "change":
            return may_manage(user, instance) and instance.status != CredentialStatus.RETIRED
        return False

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        return credentials_visible_to(user)

    def instances_user_has_permission_for(self, user, action):
        return credentials_visible_to(user)
