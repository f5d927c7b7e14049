"""What a departing person still holds in the ledger (人员离岗离职信息安全管理规定
第二条(二)(三)、第三条): computers, laptops, equipment documents, keys. Registered
with departures' handover registry; the departure cannot close while any is held."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ggzy.departures.handover import HandoverEntry, register_handover_source

from .models import Asset


def held_assets(user):
    entries = []
    for asset in Asset.objects.filter(holder=user).order_by("number"):
        entries.append(
            HandoverEntry(
                source=_("资产台账"),
                label=f"{asset.get_kind_display()} {asset.number}",
                detail=" ".join(filter(None, [asset.name, asset.model, asset.location])),
                url=reverse("assets_detail", args=[asset.pk]),
                outstanding=True,
            )
        )
    return entries


register_handover_source("assets", held_assets)
