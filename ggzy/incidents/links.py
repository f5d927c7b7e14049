"""What an incident can be linked to (应急预案 第三、七条: 受影响的设备和系统): the
operations modules sit above incidents in the layer contract, so each registers
how to find one of its things by the number people know it by, from its own
AppConfig.ready()::

    from ggzy.incidents.links import register_link_kind

    register_link_kind("assets.asset", _("资产编号"), resolve_asset)

``resolve(key) -> (label, url) | None`` looks the key up (None: there is none).
The incident keeps kind, key, label and url (``Incident.links``), so the page
needs no query into the other module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["LinkKind", "all_link_kinds", "link_kind", "register_link_kind"]


@dataclass(frozen=True)
class LinkKind:
    key: str
    label: object  # what people type: 资产编号, 设备名称…
    resolve: Callable[[str], tuple[str, str] | None]


_KINDS: dict[str, LinkKind] = {}


def register_link_kind(key: str, label, resolve: Callable[[str], tuple[str, str] | None]) -> LinkKind:
    if "." not in key:
        raise ValueError(f"link kind must be app.thing, got {key!r}")
    kind = LinkKind(key=key, label=label, resolve=resolve)
    _KINDS[key] = kind
    return kind


def link_kind(key: str) -> LinkKind | None:
    return _KINDS.get(key)


def all_link_kinds() -> dict[str, LinkKind]:
    return dict(sorted(_KINDS.items()))
