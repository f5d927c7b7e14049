from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    name = "ggzy.ingest"
    label = "ingest"
    verbose_name = _("文档导入")

    def ready(self) -> None:
        from . import audit_actions, checks  # noqa: F401  (the audit action catalogue, system checks)
