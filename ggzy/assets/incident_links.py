"""An incident links the assets it affected by their 资产编号 (ggzy.incidents.links;
应急预案 第七条 机房设备硬件故障: 确定故障设备)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from ggzy.incidents.links import register_link_kind

from .models import Asset


def resolve_asset(number: str) -> tuple[str, str] | None:
    asset = Asset.objects.filter(number=number).only("pk", "number", "name").first()
    if asset is None:
        return None
    return f"{asset.number} {asset.name}", reverse("assets_detail", args=[asset.pk])


def register() -> None:
    register_link_kind("assets.asset", gettext_lazy("资产编号"), resolve_asset)
