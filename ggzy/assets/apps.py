from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    """The asset ledger, repairs and disposal (网络与系统安全维护管理制度 一), and what
    a departing person still holds (人员离岗离职信息安全管理规定 第二、三条)."""

    default = True
    name = "ggzy.assets"
    label = "assets"
    verbose_name = _("资产台账")

    def ready(self):
        # Audit names; compliance checks and obligations; the departures handover source.
        from . import audit_actions, checks, handover, incident_links  # noqa: F401

        incident_links.register()
