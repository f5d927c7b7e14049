"""Who is calling: the client address, and whether it may reach the admin.

网络安全管理办法 七(二): remote administration is limited to configured address
ranges. The client address is REMOTE_ADDR, unless the request came through a
trusted proxy (TRUSTED_PROXY_NETWORKS) that sets TRUSTED_PROXY_HEADER; any
other forwarded header is ignored, so a client cannot forge its address.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["admin_access_allowed", "client_ip", "parse_networks"]

LOOPBACK = ("127.0.0.0/8", "::1/128")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=32)
def parse_networks(cidrs: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(c, strict=False) for c in cidrs)
    except ValueError as exc:
        raise ImproperlyConfigured(f"invalid network in {cidrs!r}: {exc}") from exc


def _ip(value: str | None):
    if not value:
        return None
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _in(address, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in net for net in networks)


def client_ip(request) -> str | None:
    """The client's address, trusting a forwarded header only from a trusted proxy."""
    remote = _ip(request.META.get("REMOTE_ADDR"))
    header = getattr(settings, "TRUSTED_PROXY_HEADER", None)
    proxies = parse_networks(tuple(getattr(settings, "TRUSTED_PROXY_NETWORKS", ())))
    if header and _in(remote, proxies):
        forwarded = request.META.get(header, "")
        if not forwarded.strip():
            return None  # a trusted proxy that did not say who the client is: fail closed
        # X-Forwarded-For style: the right-most address not itself a trusted proxy.
        for candidate in reversed([part for part in forwarded.split(",") if part.strip()]):
            address = _ip(candidate)
            if address is None:
                return None  # garbage from a proxy: fail closed
            if not _in(address, proxies):
                return str(address)
    return str(remote) if remote is not None else None


def admin_networks() -> tuple[Network, ...]:
    configured = tuple(getattr(settings, "ADMIN_ALLOWED_NETWORKS", ()))
    return parse_networks(configured or LOOPBACK)


# Headers a reverse proxy adds. Seen without a declared trusted proxy, they mean
# an undeclared proxy (e.g. nginx on the same host, so every client would look
# like loopback): refuse rather than let the whole world in.
_PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


def admin_access_allowed(request) -> bool:
    if not getattr(settings, "TRUSTED_PROXY_HEADER", None) and any(h in request.META for h in _PROXY_HEADERS):
        return False
    return _in(_ip(client_ip(request)), admin_networks())
