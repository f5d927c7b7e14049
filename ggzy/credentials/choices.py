from django.db import models
from django.utils.translation import gettext_lazy as _


class CredentialKind(models.TextChoices):
    SERVER = "server", _("服务器")
    DEVICE = "device", _("网络/安全设备")
    SYSTEM = "system", _("系统")
    APPLICATION = "application", _("应用")


class CredentialStatus(models.TextChoices):
    ACTIVE = "active", _("使用中")
    COMPROMISED = "compromised", _("疑似泄密，待更换")
    RETIRED = "retired", _("已停用")


class RotationInterval(models.IntegerChoices):
    """密码、口令管理制度 一(三): how often the password is changed (months)."""

    MONTHLY = 1, _("每月")
    QUARTERLY = 3, _("每季度")
    HALF_YEARLY = 6, _("每半年")
    YEARLY = 12, _("每年")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("待第二人确认")
    CONFIRMED = "confirmed", _("已确认生效")
    EXPIRED = "expired", _("已超时作废")
    CANCELLED = "cancelled", _("已撤销")


class RevealStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("待批准")
    APPROVED = "approved", _("已批准，待查看")
    USED = "used", _("已查看")
    REFUSED = "refused", _("已拒绝")
    EXPIRED = "expired", _("已过期")
