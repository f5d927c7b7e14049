from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ggzy.core"
    label = "core"
    verbose_name = "核心"

    def ready(self):
        from .exports import install

        install()  # every Wagtail xlsx/csv export neutralises formulas (issue 14 item 7)
