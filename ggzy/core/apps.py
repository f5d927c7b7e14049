from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ggzy.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate
        from wagtail.permissions import register_permission_policy

        from . import base_url
        from .exports import install
        from .models import CalendarDay, CalendarYear
        from .permission_names import permissions_in_chinese
        from .permissions import RolePermissionPolicy

        install()  # every Wagtail xlsx/csv export neutralises formulas (issue 14 item 7)
        base_url.install()  # Wagtail's e-mails follow the site identity's domain (issue 20)
        # The working-day calendar is the 网站管理员's setting (issue 14 item 4: no superuser bypass).
        for model in (CalendarDay, CalendarYear):
            register_permission_policy(model, RolePermissionPolicy(model))
        # Django names default permissions in English ("Can add group"): renamed after every migrate.
        post_migrate.connect(permissions_in_chinese, dispatch_uid="ggzy.core.permissions_in_chinese")
