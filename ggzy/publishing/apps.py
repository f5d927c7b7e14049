from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "ggzy.publishing"
    label = "publishing"
    verbose_name = _("信息发布")

    def ready(self) -> None:
        # Approval chains are the 网站管理员's setting (issue 14 item 4: no superuser bypass).
        from wagtail.models import Page, Task, Workflow
        from wagtail.permissions import register_permission_policy

        from ggzy.core.permissions import RolePermissionPolicy

        from . import audit_actions, checks  # noqa: F401  (the audit action catalogue, compliance checks)
        from .files import connect_live_media_guard
        from .permissions import GovernedPagePermissionPolicy

        for model in (Workflow, Task):
            register_permission_policy(model, RolePermissionPolicy(model))

        connect_live_media_guard()  # issue 14 item 3: on the models, for every route

        # Issue 14 item 1: what every page listing and the admin API offer is department-scoped.
        register_permission_policy(Page, GovernedPagePermissionPolicy(Page))
