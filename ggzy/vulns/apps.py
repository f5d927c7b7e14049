from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VulnsConfig(AppConfig):
    """Vulnerability management (网络安全管理办法 二(一)(二)): approved scan plans, real
    scans run inside them, imported results, findings with deadlines."""

    name = "ggzy.vulns"
    label = "vulns"
    verbose_name = _("漏洞管理")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import audit_actions, checks  # noqa: F401
