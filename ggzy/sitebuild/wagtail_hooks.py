from wagtail import hooks

from .viewsets import TamperCheckViewSet


@hooks.register("register_admin_viewset")
def register_tamper_check_viewset():
    # In the 网站管理 group (core.menus).
    return TamperCheckViewSet("tamper_checks")
