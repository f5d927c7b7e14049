from wagtail import hooks

from .viewsets import CredentialViewSet


@hooks.register("register_admin_viewset")
def register_credential_viewsets():
    # In the 运维管理 group (core.menus).
    return CredentialViewSet("credentials")
