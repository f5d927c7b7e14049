"""The names the admin, its e-mails and its titles carry (issue 20): the center's
name and the platform's, never Wagtail's."""

from django.conf import settings
from django.utils.translation import gettext as _


def center_name() -> str:
    """The center's name (GGZY_SITE_NAME; Wagtail's WAGTAIL_SITE_NAME)."""
    return settings.WAGTAIL_SITE_NAME


def platform_name() -> str:
    return _("网站与网络安全管理平台")


def admin_title() -> str:
    """焦作市公共资源交易中心 网站与网络安全管理平台"""
    return f"{center_name()} {platform_name()}"
