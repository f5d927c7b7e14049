from django.apps import AppConfig


class CenterConfig(AppConfig):
    """Loading one center's data (departments, roles, column tree, chains): the top of the stack."""

    name = "ggzy.center"
    label = "center"
    verbose_name = "中心数据"
