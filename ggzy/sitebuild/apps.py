from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitebuildConfig(AppConfig):
    name = "ggzy.sitebuild"
    label = "sitebuild"
    verbose_name = _("静态发布与网页防篡改")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from . import audit_actions, checks, incident_actions, signals  # noqa: F401  (the audit action catalogue, compliance checks)
        from .models import TamperCheck
        from .permissions import TamperCheckPermissionPolicy

        signals.connect()
        incident_actions.register()
        register_permission_policy(TamperCheck, TamperCheckPermissionPolicy(TamperCheck))
