from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    """Outsourcing, vendors, on-site visits, remote service and version upgrades
    (技术服务外包、维护管理制度). A sibling of ``assets`` in the operations layer."""

    default = True
    name = "ggzy.vendors"
    label = "vendors"
    verbose_name = _("外包管理")

    def ready(self):
        # The audit action catalogue; the checks and obligations registered with compliance.
        from . import audit_actions, checks  # noqa: F401
