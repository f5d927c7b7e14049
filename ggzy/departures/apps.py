from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeparturesConfig(AppConfig):
    """Staff departure (人员离岗离职信息安全管理规定): its own regulation, so its own app.

    It sits above ``accounts`` (it disables accounts, ends sessions, removes
    roles through accounts' services) and ``audit``; accounts knows nothing of it.
    """

    default = True
    name = "ggzy.departures"
    label = "departures"
    verbose_name = _("离岗离职")

    def ready(self):
        # The audit action catalogue; the clause checks registered with compliance.
        from . import audit_actions, checks  # noqa: F401
