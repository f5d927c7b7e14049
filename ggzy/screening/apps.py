from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "ggzy.screening"
    label = "screening"
    verbose_name = _("发布前审查")

    def ready(self):
        from . import audit_actions, signals  # noqa: F401  (the audit action catalogue, receivers)
