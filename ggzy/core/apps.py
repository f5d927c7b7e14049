from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ggzy.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self):
        from .exports import install

        install()  # every Wagtail xlsx/csv export neutralises formulas (issue 14 item 7)
