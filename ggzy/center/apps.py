from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CenterConfig(AppConfig):
    """Loading one center's data (departments, roles, column tree, chains): the top of the stack."""

    name = "ggzy.center"
    label = "center"
    verbose_name = _("中心数据")
