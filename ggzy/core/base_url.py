"""The absolute address links carry when no request is at hand: e-mails (incidents'
alerts and notifications, Wagtail's workflow and comment notifications), acknowledge
links, anything built outside a request.

``WAGTAILADMIN_BASE_URL`` is the deployment's fallback; an app above ``core`` (the
portal: the 网站管理员's 网站标识, whose domain Wagtail's Site already follows) registers
a provider, and its answer wins when it gives one. Wagtail reads its base URL in one
function, ``wagtail.admin.utils.get_admin_base_url`` (imported by name into its
template tags and userbar); :func:`install` points those names at :func:`admin_base_url`,
so the notification e-mails follow the same setting as ggzy's own."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

__all__ = ["absolute", "admin_base_url", "install", "register_base_url_provider"]

_providers: list[Callable[[], str]] = []


def register_base_url_provider(provider: Callable[[], str]) -> None:
    """``provider()`` returns "scheme://host[:port]" or "" (no opinion)."""
    if provider not in _providers:
        _providers.append(provider)


def admin_base_url() -> str:
    """The base of absolute links, without a trailing slash: the newest provider's
    answer, else ``WAGTAILADMIN_BASE_URL``."""
    for provider in reversed(_providers):
        url = provider()
        if url:
            return url.rstrip("/")
    return (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")


def absolute(url: str) -> str:
    """``/admin/…`` → ``https://host/admin/…``; an absolute URL is returned unchanged."""
    return f"{admin_base_url()}{url}" if url.startswith("/") else url


def install() -> None:
    from wagtail.admin import userbar, utils
    from wagtail.admin.templatetags import wagtailadmin_tags

    for module in (utils, wagtailadmin_tags, userbar):
        module.get_admin_base_url = admin_base_url
