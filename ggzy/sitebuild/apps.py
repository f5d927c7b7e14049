from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitebuildConfig(AppConfig):
    name = "ggzy.sitebuild"
    label = "sitebuild"
    verbose_name = _("静态发布与网页防篡改")

    def ready(self):
        from . import signals

        signals.connect()
