from wagtail import hooks

from .viewsets import SuspensionNoticeViewSet


@hooks.register("register_admin_viewset")
def register_suspension_viewsets():
    # In the 网站管理 group (core.menus).
    return SuspensionNoticeViewSet("suspension_notices")
