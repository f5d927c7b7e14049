from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "ggzy.notices"
    label = "notices"
    verbose_name = _("交易公告")

    def ready(self) -> None:
        from . import audit_actions, incident_actions  # noqa: F401  (the audit action catalogue)

        incident_actions.register()
