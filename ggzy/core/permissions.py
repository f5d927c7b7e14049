"""Permission policies that hold a setting to its owner's role (issue 14 item 4).

三权分立 (网络安全管理办法 五): the bootstrap 系统管理员 is a Django superuser so
that it can set the center up, but the superuser flag must grant nothing in a
setting another role owns (the password policy is the 安全管理员's, approval
chains and column policies the 网站管理员's) that the 系统管理员 role does not.
A RolePermissionPolicy answers from the permissions the user's groups (and
direct user permissions) carry, never from ``is_superuser``. The table of who
owns which setting is in docs/security.md ("Roles and lanes")."""

from django.apps import apps
from django.contrib.auth.models import Permission
from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy


def role_permissions(user) -> set[str]:
    """``app_label.codename`` of every permission the user's roles and own
    permissions carry — the superuser flag adds none. Cached on the user."""
    cached = user.__dict__.get("_ggzy_role_permissions")
    if cached is None:
        if not (user.is_authenticated and user.is_active):
            cached = set()
        else:
            cached = {
                f"{app}.{codename}"
                for app, codename in Permission.objects.filter(Q(group__user=user) | Q(user=user))
                .values_list("content_type__app_label", "codename")
                .distinct()
            }
        user.__dict__["_ggzy_role_permissions"] = cached
    return cached


def role_has_perm(user, perm: str) -> bool:
    if not user.is_superuser:
        return user.has_perm(perm)  # the backends' answer (and their caches)
    return perm in role_permissions(user)


class RolePermissionPolicy(ModelPermissionPolicy):
    """Wagtail's model permission policy without the superuser bypass."""

    def user_has_permission(self, user, action):
        return role_has_perm(user, self._get_permission_name(action))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def _get_users_with_any_permission_codenames_filter(self, permission_codenames):
        permissions = Permission.objects.filter(
            content_type=self._content_type, codename__in=permission_codenames
        )
        return (Q(user_permissions__in=permissions) | Q(groups__permissions__in=permissions)) & Q(
            is_active=True
        )


def install_role_policies() -> list[type]:
    """Every ggzy model without a policy of its own gets a RolePermissionPolicy.

    Wagtail's fallback for a model nobody registered is ModelPermissionPolicy,
    which lets a superuser do everything; the class of issue 14 item 4 is then
    reopened by each new model. Called once every app's ready() has registered
    its own (the center app is last): the superuser flag grants nothing a
    model's owner role holds that the 系统管理员 role does not, for the models of
    today and of the modules to come.
    """
    installed = []
    for model in apps.get_models():
        if not model.__module__.startswith("ggzy."):
            continue
        if policy_registry.get_by_type(model, fallback=False) is not None:
            # Its app chose (Page subclasses, TamperCheck, ColumnPolicy…); the user model keeps
            # wagtail.users' policy: accounts are the 系统管理员's own lane.
            continue
        register_permission_policy(model, RolePermissionPolicy(model))
        installed.append(model)
    return installed
