"""The names the admin, its e-mails and its titles carry (issue 20): the center's
name and the platform's, never Wagtail's."""

import re

from django.conf import settings
from django.utils.translation import gettext as _

_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def center_name() -> str:
    """The center's name (GGZY_SITE_NAME; Wagtail's WAGTAIL_SITE_NAME)."""
    return settings.WAGTAIL_SITE_NAME


def platform_name() -> str:
    return _("网站与网络安全管理平台")


def admin_title() -> str:
    """焦作市公共资源交易中心 网站与网络安全管理平台"""
    return f"{center_name()} {platform_name()}"


def mail_subject(text) -> str:
    """Every e-mail's subject: ``【焦作市公共资源交易中心】`` then ``text`` on one line
    (a header carries no line break). ggzy's senders wrap their subject in this and
    Wagtail's notification subjects go through the ``{% mail_subject %}`` tag, so the
    form is set here only; a subject that already carries the prefix keeps one."""
    prefix = f"【{center_name()}】"
    text = _LINE_BREAKS.sub(" ", str(text)).strip()
    return text if text.startswith(prefix) else f"{prefix}{text}"
