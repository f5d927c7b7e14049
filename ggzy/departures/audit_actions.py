"""The audit action names the departures app records, with their Chinese labels
(the catalogue: ``ggzy.core.actions``). Imported from the app's ``AppConfig.ready``.

The names keep the ``accounts.departure.*`` namespace they had before departures
became its own app, so the existing chain and history read the same.
"""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

DEPARTURE_ACTIONS = {
    "accounts.departure.started": _("启动离岗离职手续"),
    "accounts.departure.item_added": _("增加离岗交接事项"),
    "accounts.departure.item_signed_off": _("确认离岗交接事项"),
    "accounts.departure.confidentiality_acknowledged": _("确认离岗保密义务"),
    "accounts.departure.closed": _("办结离岗离职手续"),
}
register_actions("departures", DEPARTURE_ACTIONS)
