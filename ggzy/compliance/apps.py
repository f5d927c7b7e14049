from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    default = True
    name = "ggzy.compliance"
    label = "compliance"
    verbose_name = _("合规管理")

    def ready(self) -> None:
        # The checks compliance itself can write (audit log, accounts); apps above
        # register theirs from their own checks.py in their ready().
        from . import audit_actions, checks_builtin, obligations_builtin  # noqa: F401
