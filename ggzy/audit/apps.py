from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    default = True
    name = "ggzy.audit"
    label = "audit"
    verbose_name = _("安全审计")

    def ready(self) -> None:
        # DB guard function, auth/page/group receivers, the audit action catalogue.
        from . import audit_actions, guard, receivers  # noqa: F401

        guard.connect()
