from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "ggzy.publishing"
    label = "publishing"
    verbose_name = _("信息发布")

    def ready(self) -> None:
        from . import audit_actions, checks  # noqa: F401  (the audit action catalogue, compliance checks)
