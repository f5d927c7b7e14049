from django import template

from ggzy.notices.selectors import change_notices_of

register = template.Library()


@register.simple_tag
def notice_changes(page):
    """Published change notices of this notice (the original shows it was changed)."""
    changes = change_notices_of(page)
    # Most notices have none (.none()): iterating that would still compile its SQL.
    return [] if changes.query.is_empty() else list(changes)
