from django import template

from ggzy.core import branding

register = template.Library()


@register.simple_tag
def center_name() -> str:
    return branding.center_name()


@register.simple_tag
def platform_name() -> str:
    return branding.platform_name()
