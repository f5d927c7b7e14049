from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    default = True
    name = "ggzy.audit"
    label = "audit"
    verbose_name = _("安全审计")

    def ready(self) -> None:
        from . import guard, receivers  # noqa: F401  (DB guard function, auth/page/group receivers)

        guard.connect()
