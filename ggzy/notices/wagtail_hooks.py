from wagtail import hooks

from .viewsets import NoticesViewSetGroup


@hooks.register("register_admin_viewset")
def register_notices_viewsets():
    return NoticesViewSetGroup()
