from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilityConfig(AppConfig):
    """Machine room and monitoring room operations (网络机房管理制度, 监控管理制度):
    rooms, SNMP environment readings, the duty log, maintenance obligations and
    the viewing of monitoring recordings. Operations layer, above ``incidents``."""

    default = True
    name = "ggzy.facility"
    label = "facility"
    verbose_name = _("机房与监控室")

    def ready(self):
        # The audit action catalogue; the checks and obligations registered with compliance.
        from . import audit_actions, checks  # noqa: F401
