from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """Incident response (网络信息安全故障应急预案, 网络机房管理制度 一(四)).

    Sits below the operations modules, sitebuild and departures (they call
    ``ggzy.incidents.alerts.raise_alert`` and register playbook actions) and above
    compliance, audit, screening, accounts (it listens to their signals in
    ``receivers.py``).
    """

    default = True
    name = "ggzy.incidents"
    label = "incidents"
    verbose_name = _("应急响应")

    def ready(self) -> None:
        # The audit action catalogue, the signal receivers for the modules below,
        # the actions incidents does itself, and the compliance checks and obligations.
        from . import audit_actions, builtin_actions, checks, receivers  # noqa: F401
