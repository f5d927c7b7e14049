from wagtail import hooks

from ggzy.portal.listing_filters import COLUMN_FILTER_HOOK

from .selectors import notice_listing
from .viewsets import NoticesViewSetGroup

# Trading columns list their notices with filters by kind, date and project code.
hooks.register(COLUMN_FILTER_HOOK, notice_listing)


@hooks.register("register_admin_viewset")
def register_notices_viewsets():
    return NoticesViewSetGroup()
