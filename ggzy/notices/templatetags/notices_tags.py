from django import template

from ggzy.notices.selectors import change_notices_of

register = template.Library()


@register.simple_tag
def notice_changes(page):
    """Published change notices of this notice (the original shows it was changed)."""
    return list(change_notices_of(page))
