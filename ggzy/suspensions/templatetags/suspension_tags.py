from django import template

from ..selectors import visible_notices

register = template.Library()


@register.inclusion_tag("suspensions/includes/home_notices.html")
def suspension_notices():
    """The 暂停交易服务通知 block of the home page (dynamic and static alike)."""
    return {"notices": list(visible_notices())}
