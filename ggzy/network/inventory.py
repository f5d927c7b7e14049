"""The device register as a host source of the scans (ggzy.core.inventory; 网络安全管理办法
二(一)(三)): a scanned address is matched to the active device managed at it (or named
like it), and read against the segment register — an unknown host on an important
segment becomes a finding in vulns. Batch lookups: one query per scan."""

from __future__ import annotations

import ipaddress

from django.db.models.functions import Lower
from django.urls import reverse

from ggzy.core.inventory import KnownHost, register_host_source
from ggzy.core.inventory import Segment as SegmentInfo

from .models import Device, Segment


def _known(device: Device) -> KnownHost:
    return KnownHost(
        source="network.device",
        key=device.name,
        label=f"{device.name}（{device.get_kind_display()}）",
        url=reverse("network_device", args=[device.pk]),
        internet_facing=device.internet_facing,
    )


def by_address(addresses: list[str]) -> dict[str, KnownHost]:
    return {d.mgmt_address: _known(d) for d in Device.objects.filter(active=True, mgmt_address__in=addresses)}


def by_name(names: list[str]) -> dict[str, KnownHost]:
    devices = Device.objects.annotate(lowered=Lower("name")).filter(active=True, lowered__in=names)
    return {d.lowered: _known(d) for d in devices}


def segments(addresses: list[str]) -> dict[str, SegmentInfo]:
    """The most specific registered segment holding each address (segments without a
    valid CIDR are skipped)."""
    networks = []
    for segment in Segment.objects.exclude(cidr=""):
        try:
            networks.append((ipaddress.ip_network(segment.cidr.strip(), strict=False), segment))
        except ValueError:
            continue
    out = {}
    for address in addresses:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            continue
        holding = [(net, s) for net, s in networks if ip.version == net.version and ip in net]
        if holding:
            _net, segment = max(holding, key=lambda pair: pair[0].prefixlen)
            out[address] = SegmentInfo(segment.name, segment.important)
    return out


def register() -> None:
    register_host_source("network.device", by_address=by_address, by_name=by_name, segments=segments)
