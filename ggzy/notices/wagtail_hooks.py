from wagtail import hooks

from ggzy.portal.home_blocks import HOME_BLOCKS_HOOK, LIST_DETAILS_HOOK
from ggzy.portal.listing_filters import COLUMN_FILTER_HOOK

from .selectors import home_blocks, notice_list_details, notice_listing
from .viewsets import NoticesViewSetGroup

# Trading columns list their notices with filters by kind, date and project code.
hooks.register(COLUMN_FILTER_HOOK, notice_listing)


@hooks.register("register_admin_viewset")
def register_notices_viewsets():
    return NoticesViewSetGroup()


# The home page's 交易信息 tabs and 开标日程; 项目编号 and deadlines in column lists.
hooks.register(HOME_BLOCKS_HOOK, home_blocks)
hooks.register(LIST_DETAILS_HOOK, notice_list_details)
