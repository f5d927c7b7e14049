from django.db import models
from django.utils.translation import gettext_lazy as _


class SuspensionReason(models.TextChoices):
    # 网络安全管理办法 二(十一): "因系统维护或法定节假日等原因"
    MAINTENANCE = "maintenance", _("系统维护")
    HOLIDAY = "holiday", _("法定节假日")
    OTHER = "other", _("其他")


class SuspensionStatus(models.TextChoices):
    PENDING = "pending", _("待显示")
    SHOWING = "showing", _("显示中")
    ENDED = "ended", _("已结束")
    CANCELLED = "cancelled", _("已取消")
