from wagtail import hooks

from .viewsets import password_policy_viewset


@hooks.register("register_admin_viewset")
def register_password_policy_viewset():
    return password_policy_viewset
