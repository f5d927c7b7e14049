"""Scan scope (网络安全管理办法 二(二)): what a plan may touch, parsed strictly.

Addresses and CIDR networks only — never host names, which could resolve anywhere."""

from __future__ import annotations

import ipaddress
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_PORT_RANGE = re.compile(r"^(\d{1,5})(?:-(\d{1,5}))?$")


def max_hosts() -> int:
    return getattr(settings, "VULNS_MAX_HOSTS", 1024)


def parse_networks(text: str, *, label: str) -> list[Network]:
    """One address or network per line (commas too); a bad line is named in the error."""
    items = [item.strip() for line in (text or "").splitlines() for item in line.split(",")]
    items = [item for item in items if item]
    if not items:
        raise ValidationError(_("请填写%(label)s（IP 地址或网段，每行一个）。") % {"label": label})
    networks, bad = [], []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(item, strict=True))
        except ValueError:
            bad.append(item)
    if bad:
        raise ValidationError(
            _("%(label)s中有无效的地址或网段：%(items)s（只接受 IP 地址或 CIDR 网段，如 10.0.1.0/24）")
            % {"label": label, "items": "、".join(bad[:5])}
        )
    return networks


def host_count(networks: list[Network]) -> int:
    return sum(network.num_addresses for network in networks)


def parse_scope(text: str) -> list[Network]:
    networks = parse_networks(text, label=_("扫描范围"))
    if host_count(networks) > max_hosts() * 16:
        raise ValidationError(
            _("扫描范围过大（%(n)s 个地址）：请按网段分别编制方案。") % {"n": host_count(networks)}
        )
    return networks


def parse_targets(text: str, scope: list[Network]) -> list[Network]:
    """The targets of one scan: each inside the plan's scope, at most max_hosts() in all."""
    targets = parse_networks(text, label=_("扫描目标"))
    outside = [
        str(target)
        for target in targets
        if not any(target.version == net.version and target.subnet_of(net) for net in scope)
    ]
    if outside:
        raise ValidationError(
            _("扫描目标超出批准的扫描范围：%(items)s（网络安全管理办法 二(二)）。")
            % {"items": "、".join(outside[:5])}
        )
    if host_count(targets) > max_hosts():
        raise ValidationError(
            _("单次扫描最多 %(max)s 个地址，本次 %(n)s 个。") % {"max": max_hosts(), "n": host_count(targets)}
        )
    return targets


def address_in(address: str, networks: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def parse_ports(text: str) -> list[tuple[int, int]]:
    """'22,80,8000-8100' as ranges; nmap gets it back normalised (ports_arg)."""
    ranges, bad = [], []
    for item in (text or "").replace(" ", "").split(","):
        if not item:
            continue
        match = _PORT_RANGE.match(item)
        low, high = (int(match[1]), int(match[2] or match[1])) if match else (0, 0)
        if not match or not (1 <= low <= high <= 65535):
            bad.append(item)
        else:
            ranges.append((low, high))
    if bad:
        raise ValidationError(
            _("端口范围无效：%(items)s（如 22,80,8000-8100）。") % {"items": "、".join(bad[:5])}
        )
    if not ranges:
        raise ValidationError(_("请填写端口范围。"))
    return ranges


def ports_arg(ranges: list[tuple[int, int]]) -> str:
    return ",".join(str(low) if low == high else f"{low}-{high}" for low, high in ranges)


def port_in(port: int, ranges: list[tuple[int, int]]) -> bool:
    return any(low <= port <= high for low, high in ranges)
