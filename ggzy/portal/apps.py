from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "ggzy.portal"
    label = "portal"
    verbose_name = _("门户网站")

    def ready(self) -> None:
        from wagtail.permissions import register_permission_policy

        from . import audit_actions, checks  # noqa: F401  (the audit action catalogue, compliance checks)
        from .models import ColumnPolicy
        from .permissions import ColumnPolicyPermissionPolicy

        register_permission_policy(ColumnPolicy, ColumnPolicyPermissionPolicy(ColumnPolicy))

        from ggzy.publishing.permissions import register_lane_columns

        from .selectors import lane_column_paths

        register_lane_columns(lane_column_paths)

        from ggzy.core.base_url import register_base_url_provider

        from .selectors import identity_base_url

        # E-mails and absolute links follow the domain the 网站管理员 set in 网站标识 (issue 20).
        register_base_url_provider(identity_base_url)
