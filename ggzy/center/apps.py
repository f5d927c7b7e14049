from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CenterConfig(AppConfig):
    """Loading one center's data (departments, roles, column tree, chains): the top of the stack."""

    name = "ggzy.center"
    label = "center"
    verbose_name = _("中心数据")

    def ready(self) -> None:
        from ggzy.core.permissions import install_role_policies

        # Last in INSTALLED_APPS among ggzy's apps: after each app registered its own policies.
        install_role_policies()
