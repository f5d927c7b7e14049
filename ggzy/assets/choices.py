from django.db import models
from django.utils.translation import gettext_lazy as _


class AssetKind(models.TextChoices):
    """网络与系统安全维护管理制度 一(三): computers, peripherals, network equipment and
    tools; 人员离岗离职 第二条(二)(三): equipment documents and keys are handed over too."""

    DESKTOP = "desktop", _("台式计算机")
    LAPTOP = "laptop", _("笔记本电脑")
    SERVER = "server", _("服务器")
    PERIPHERAL = "peripheral", _("外部设备")
    NETWORK = "network", _("网络设备")
    STORAGE = "storage", _("存储介质")
    TOOL = "tool", _("维修工具")
    DOCUMENT = "document", _("设备资料")
    KEY = "key", _("钥匙")
    OTHER = "other", _("其他")


# Kinds that hold data: disposal needs data-wiping evidence (一(五)).
STORAGE_KINDS = frozenset({AssetKind.DESKTOP, AssetKind.LAPTOP, AssetKind.SERVER, AssetKind.STORAGE})


class AssetState(models.TextChoices):
    IN_STOCK = "in_stock", _("库存")
    IN_USE = "in_use", _("在用")
    REPAIR = "repair", _("维修中")
    APPRAISED = "appraised", _("已鉴定待批准报废")
    APPROVED = "approved", _("已批准报废")
    DISPOSED = "disposed", _("已报废")


class RepairState(models.TextChoices):
    REPORTED = "reported", _("已报修")
    IN_PROGRESS = "in_progress", _("信息科处理中")
    RESOLVED = "resolved", _("已处理")


class DisposalMethod(models.TextChoices):
    SCRAP = "scrap", _("报废回收")
    DESTROY = "destroy", _("物理销毁")
    TRANSFER = "transfer", _("调拨")
