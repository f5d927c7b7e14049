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
        from . import audit_actions, signals  # noqa: F401


class GgzyWagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin with ggzy's forms: department, no superuser flag, 三权分立."""

    user_viewset = "ggzy.accounts.viewsets.UserViewSet"
