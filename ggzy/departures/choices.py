"""Choices of staff departure (人员离岗离职信息安全管理规定)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DepartureItemKind", "DepartureKind"]


class DepartureKind(models.TextChoices):
    """人员离岗离职信息安全管理规定: leaving a post, or leaving the center."""

    TRANSFER = "transfer", _("离岗")
    RESIGNATION = "resignation", _("离职")


class DepartureItemKind(models.TextChoices):
    """The handover of 第二条 and the returns of 第三条."""

    DEVICE_CREDENTIALS = "device_credentials", _("服务器、交换机、路由器的账号和密码口令（交接并更换）")
    DOCUMENTATION = "documentation", _("设备说明书等设备与服务器系统资料")
    CONTRACTS = "contracts", _("网络与信息化建设合同、上级批文、条例等文字材料")
    KEYS = "keys", _("门钥匙、文件柜钥匙")
    EQUIPMENT = "equipment", _("归还计算机及其他属于本单位的财物")
