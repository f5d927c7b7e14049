from wagtail import hooks

from .viewsets import column_policy_viewset


@hooks.register("register_admin_viewset")
def register_column_policy_viewset():
    return column_policy_viewset
