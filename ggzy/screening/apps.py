from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "ggzy.screening"
    label = "screening"
    verbose_name = _("发布前审查")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from ggzy.core.permissions import RolePermissionPolicy

        from . import audit_actions, signals  # noqa: F401  (the audit action catalogue, receivers)
        from .models import LexiconEntry

        # The screening lexicon is the 网站管理员's setting (issue 14 item 4: no superuser bypass).
        register_permission_policy(LexiconEntry, RolePermissionPolicy(LexiconEntry))
