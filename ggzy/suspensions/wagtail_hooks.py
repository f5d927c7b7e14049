from wagtail import hooks

from .viewsets import SiteManagementViewSetGroup


@hooks.register("register_admin_viewset")
def register_suspension_viewsets():
    return SiteManagementViewSetGroup()
