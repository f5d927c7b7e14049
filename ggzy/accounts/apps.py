from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True
    name = "ggzy.accounts"
    label = "accounts"
    verbose_name = _("账号与部门")

    def ready(self) -> None:
        # The audit action catalogue, the 三权分立 guard on group membership.
        from wagtail.permissions import register_permission_policy

        from ggzy.core.permissions import RolePermissionPolicy

        from . import audit_actions, signals  # noqa: F401
        from .models import PasswordPolicy

        # The password policy is the 安全管理员's (密码、口令管理制度; issue 14 item 4):
        # the bootstrap 系统管理员's superuser flag grants nothing there.
        register_permission_policy(PasswordPolicy, RolePermissionPolicy(PasswordPolicy))


class GgzyWagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin with ggzy's forms: department, no superuser flag, 三权分立."""

    user_viewset = "ggzy.accounts.viewsets.UserViewSet"
