"""Who is at an address. The registers that know the center's hosts (the network module's
device register) and the modules that meet hosts on the wire (vulns' scans) are siblings
in the layer contract, so neither imports the other: a register declares here how to
look hosts up, and a scanner asks here (网络安全管理办法 二(一)(三): scan results are
read against the register; an unknown host on an important segment is itself a finding).

    register_host_source(
        "network.device",
        by_address=lambda addresses: {address: KnownHost(...), …},
        by_name=lambda names: {name: KnownHost(...), …},
        segments=lambda addresses: {address: Segment(name, important), …},
    )

Every callable takes a batch and answers in one or two queries: a scan of a /24 must not
cost a query per host.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

__all__ = ["KnownHost", "Segment", "match_hosts", "register_host_source", "segments_of"]


@dataclass(frozen=True)
class KnownHost:
    source: str  # the register ("network.device")
    key: str  # its own key (the device name)
    label: str
    url: str
    internet_facing: bool = False


@dataclass(frozen=True)
class Segment:
    name: str
    important: bool  # 二(三) 重要网段


@dataclass(frozen=True)
class _Source:
    by_address: Callable[[list[str]], Mapping[str, KnownHost]]
    by_name: Callable[[list[str]], Mapping[str, KnownHost]] | None
    segments: Callable[[list[str]], Mapping[str, Segment]] | None


_SOURCES: dict[str, _Source] = {}


def register_host_source(key: str, *, by_address, by_name=None, segments=None) -> None:
    if "." not in key:
        raise ValueError(f"host source must be app.thing, got {key!r}")
    _SOURCES[key] = _Source(by_address=by_address, by_name=by_name, segments=segments)


def match_hosts(hosts: Iterable[tuple[str, str]]) -> dict[str, KnownHost]:
    """(address, hostname) pairs → address: the known host, matched by address first,
    then by name (case-insensitively); unknown addresses are absent."""
    hosts = list(hosts)
    found: dict[str, KnownHost] = {}
    for source in _SOURCES.values():
        for address, known in source.by_address([a for a, _n in hosts if a not in found]).items():
            found.setdefault(address, known)
    for source in _SOURCES.values():
        rest = {name.lower(): address for address, name in hosts if name and address not in found}
        if rest and source.by_name is not None:
            for name, known in source.by_name(list(rest)).items():
                found.setdefault(rest[name.lower()], known)
    return found


def segments_of(addresses: Iterable[str]) -> dict[str, Segment]:
    addresses = list(addresses)
    out: dict[str, Segment] = {}
    for source in _SOURCES.values():
        if source.segments is not None:
            for address, segment in source.segments([a for a in addresses if a not in out]).items():
                out.setdefault(address, segment)
    return out
