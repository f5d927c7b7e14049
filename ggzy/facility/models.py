"""Rooms, their sensors and readings, the duty log and recording viewing requests
(网络机房管理制度, 监控管理制度)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ReadingSource, RoomClass, RoomKind, SensorKind, ViewingState, VisitState


class Room(models.Model):
    """A machine room or the monitoring room (监控管理制度 一: 交易监督科 manages it,
    信息科's 监控管理员 maintains it)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=RoomKind.choices)
    room_class = models.CharField(_("机房等级"), max_length=1, choices=RoomClass.choices, default=RoomClass.C)
    commissioned_on = models.DateField(_("投入使用日期"), null=True, blank=True)
    # Thresholds (GB 50174-2017 defaults for the class, editable).
    temp_min = models.DecimalField(_("温度下限 ℃"), max_digits=5, decimal_places=1)
    temp_max = models.DecimalField(_("温度上限 ℃"), max_digits=5, decimal_places=1)
    humidity_min = models.DecimalField(_("湿度下限 %"), max_digits=5, decimal_places=1)
    humidity_max = models.DecimalField(_("湿度上限 %"), max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("机房")

    def __str__(self):
        return self.name


class Sensor(models.Model):
    """An SNMP source in a room: a UPS (UPS-MIB, RFC 1628) or a temperature/humidity
    unit with its model's OID map."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="sensors")
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=SensorKind.choices)
    host = models.CharField(_("地址"), max_length=100)
    port = models.PositiveIntegerField(_("端口"), default=161)
    # SNMP v2c read community: configuration, not a secret of the vault (read-only
    # view of environment values on the management VLAN).
    community = models.CharField(_("只读团体名"), max_length=100, default="public")
    temperature_oid = models.CharField(_("温度 OID"), max_length=200, blank=True)
    humidity_oid = models.CharField(_("湿度 OID"), max_length=200, blank=True)
    scale = models.PositiveIntegerField(
        _("读数除数"), default=1, help_text=_("如传感器以 0.1 ℃ 为单位，填 10")
    )
    enabled = models.BooleanField(_("启用"), default=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["room", "name"]
        constraints = [models.UniqueConstraint(fields=["room", "name"], name="facility_sensor_unique_name")]

    def __str__(self):
        return f"{self.room} / {self.name}"


class Reading(models.Model):
    """One poll of one sensor (the raw series; downsampled after 30 days)."""

    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="readings")
    taken_at = models.DateTimeField(db_index=False)
    temperature = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    humidity = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    on_battery = models.BooleanField(null=True)
    input_voltage = models.PositiveIntegerField(null=True)
    output_voltage = models.PositiveIntegerField(null=True)
    battery_minutes = models.PositiveIntegerField(null=True)
    battery_charge = models.PositiveSmallIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["sensor", "taken_at"], name="facility_reading_sensor_time")]

    def __str__(self):
        return f"{self.sensor_id}@{self.taken_at:%Y-%m-%d %H:%M}"


class ReadingAggregate(models.Model):
    """Readings older than the raw window, averaged per sensor and bucket (15 min):
    the series is kept ≥ 1 year without 100 M raw rows (docs/facility.md)."""

    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="aggregates")
    bucket_start = models.DateTimeField()
    samples = models.PositiveIntegerField()
    temperature_avg = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    temperature_max = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    humidity_avg = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    humidity_max = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    on_battery_samples = models.PositiveIntegerField(default=0)
    input_voltage_min = models.PositiveIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sensor", "bucket_start"], name="facility_aggregate_one_per_bucket"
            )
        ]

    def __str__(self):
        return f"{self.sensor_id}@{self.bucket_start:%Y-%m-%d %H:%M}"


class DutyLog(models.Model):
    """The daily duty log of a room with the fields of 网络机房管理制度 一(三) and the
    opening/closing checks of 一(六); the next person on duty signs it (handover)."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="duty_logs")
    day = models.DateField(_("日期"))
    # 一(三)1
    weather = models.CharField(_("天气状况"), max_length=50)
    temperature = models.DecimalField(_("室内温度 ℃"), max_digits=5, decimal_places=1, null=True)
    humidity = models.DecimalField(_("室内湿度 %"), max_digits=5, decimal_places=1, null=True)
    readings_source = models.CharField(max_length=10, choices=ReadingSource.choices)
    # 一(三)2
    power_normal = models.BooleanField(_("供电正常"))
    power_interruptions = models.TextField(_("供电中断情况（何时、多久）"), blank=True)
    # 一(三)3-6
    network_status = models.TextField(_("网络和服务器运行情况（故障及排除）"))
    equipment_use = models.TextField(_("设备使用情况（何人、何设备、前后状况）"), blank=True)
    other_people = models.TextField(_("进入机房的其他人员及活动"), blank=True)
    user_requests = models.TextField(_("用户求助和投诉（内容、性质、处理结果）"), blank=True)
    # 一(六): 早进入、晚离开时的检查
    lights_checked = models.BooleanField(_("灯光已检查"))
    doors_checked = models.BooleanField(_("门已检查"))
    windows_checked = models.BooleanField(_("窗已检查"))
    locks_checked = models.BooleanField(_("锁已检查"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(auto_now=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["room", "day"], name="facility_duty_log_one_per_day")]

    def __str__(self):
        return f"{self.room} {self.day}"


class ViewingRequest(models.Model):
    """监控管理制度 四: a supervisory or law-enforcement department asks to view or copy
    recordings; approved before anything is lent, viewed or copied."""

    department = models.CharField(_("调阅部门"), max_length=100)
    person = models.CharField(_("调阅人"), max_length=50)
    purpose = models.TextField(_("调阅事由"))
    project_code = models.CharField(_("项目编号"), max_length=100)
    session_date = models.DateField(_("交易日期"))
    copy_requested = models.BooleanField(_("需要复制"), default=False)
    state = models.CharField(max_length=10, choices=ViewingState.choices, default=ViewingState.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    viewing_record = models.TextField(blank=True)
    viewed_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.department} {self.project_code}"


class Visit(models.Model):
    """Visitor register (网络机房管理制度 二(八)、三(四)(五); 监控管理制度 六; 网络设备管理制度
    第四条): requested, approved by the room's responsible person before entry, in/out
    times, ID and overshoes confirmed; refused and expired requests are kept."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="visits")
    visitor = models.CharField(_("来访人"), max_length=50)
    company = models.CharField(_("单位"), max_length=100)
    purpose = models.TextField(_("事由"))
    escort = models.CharField(_("陪同人"), max_length=50)
    planned_on = models.DateField(_("来访日期"))
    state = models.CharField(max_length=10, choices=VisitState.choices, default=VisitState.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    id_checked = models.BooleanField(default=False)
    overshoes = models.BooleanField(default=False)
    entered_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-planned_on", "-requested_at"]

    def __str__(self):
        return f"{self.visitor} {self.planned_on}"
