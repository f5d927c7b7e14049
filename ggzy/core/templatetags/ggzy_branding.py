from django import template
from django.utils.safestring import mark_safe

from ggzy.core import branding

register = template.Library()


@register.simple_tag
def center_name() -> str:
    return branding.center_name()


@register.simple_tag
def platform_name() -> str:
    return branding.platform_name()


@register.simple_block_tag
def mail_subject(content) -> str:
    """Wagtail's notification subjects (``wagtailadmin/notifications/*_subject.txt``)
    wrapped in :func:`branding.mail_subject`. The content is already rendered with the
    template's own escaping (Wagtail marks titles ``|safe``: a subject is plain text),
    so it is not escaped a second time."""
    return mark_safe(branding.mail_subject(content))  # noqa: S308
