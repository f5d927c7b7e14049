from django.db import models
from django.utils.translation import gettext_lazy as _


class RoomKind(models.TextChoices):
    MACHINE_ROOM = "machine_room", _("网络机房")  # 网络机房管理制度
    MONITORING_ROOM = "monitoring_room", _("监控室")  # 监控管理制度 一


class RoomClass(models.TextChoices):
    """GB 50174-2017 data-centre classes; the default thresholds follow the class."""

    A = "A", _("A级")
    B = "B", _("B级")
    C = "C", _("C级")


# GB 50174-2017 附录A (主机房, 冷通道或机柜进风区域): 温度 18–27 ℃; 露点/相对湿度 — read as
# relative humidity 20–80 % for A/B (no condensation) and 8–80 % for C. Editable per room.
CLASS_DEFAULTS = {
    RoomClass.A: {"temp_min": 18, "temp_max": 27, "humidity_min": 20, "humidity_max": 80},
    RoomClass.B: {"temp_min": 18, "temp_max": 27, "humidity_min": 20, "humidity_max": 80},
    RoomClass.C: {"temp_min": 18, "temp_max": 27, "humidity_min": 8, "humidity_max": 80},
}


class SensorKind(models.TextChoices):
    UPS = "ups", _("UPS（UPS-MIB）")
    ENVIRONMENT = "environment", _("温湿度传感器")


class ReadingSource(models.TextChoices):
    SENSORS = "sensors", _("传感器读数（已确认）")
    MANUAL = "manual", _("手工填写")


class ViewingState(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")
    VIEWED = "viewed", _("已调阅")
    RETURNED = "returned", _("已归还")


class VisitState(models.TextChoices):
    REQUESTED = "requested", _("待批准")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")
    INSIDE = "inside", _("在机房内")
    LEFT = "left", _("已离开")
    EXPIRED = "expired", _("已过期")


class ExtinguisherKind(models.TextChoices):
    DRY_POWDER = "dry_powder", _("干粉")
    CO2 = "co2", _("二氧化碳")
    GAS = "gas", _("七氟丙烷（气体）")
    OTHER = "other", _("其他")


class RecordingMedium(models.TextChoices):
    DISC = "disc", _("光盘")
    EXPORT = "export", _("导出文件")
    DRIVE = "drive", _("移动硬盘")
