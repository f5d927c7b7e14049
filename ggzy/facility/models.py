"""Rooms, their sensors and readings, the duty log and recording viewing requests
(网络机房管理制度, 监控管理制度)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import (
    ExtinguisherKind,
    ReadingSource,
    RecordingMedium,
    RoomClass,
    RoomKind,
    SensorKind,
    ViewingState,
    VisitState,
)


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

    def clean(self):
        errors = {}
        if None not in (self.temp_min, self.temp_max) and self.temp_min >= self.temp_max:
            errors["temp_max"] = _("温度上限应高于下限。")
        if None not in (self.humidity_min, self.humidity_max) and self.humidity_min >= self.humidity_max:
            errors["humidity_max"] = _("湿度上限应高于下限。")
        if errors:
            raise ValidationError(errors)


class Sensor(models.Model):
    """An SNMP source in a room: a UPS (UPS-MIB, RFC 1628) or a temperature/humidity
    unit with its model's OID map."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="sensors", verbose_name=_("机房"))
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
    last_polled_at = models.DateTimeField(_("最近采集时间"), null=True, blank=True)
    last_error = models.CharField(_("最近一次采集错误"), max_length=300, blank=True)

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
    # 监控 四 未经批准，不得外借: the archived recordings lent under this approval (the
    # same project); they count as lent until the request is returned.
    recordings = models.ManyToManyField("Recording", related_name="viewings", blank=True)
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


class DutyShift(models.Model):
    """Who is on duty in a room when (网络机房管理制度 一(三) 值班; 监控管理制度 二): the
    duty roster. The handover signature is the next person on duty's (一)."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="shifts", verbose_name=_("机房"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("值班人")
    )
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("结束日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        ordering = ["-starts_on", "room"]
        verbose_name = _("值班安排")

    def __str__(self):
        return f"{self.room} {self.starts_on}–{self.ends_on} {self.person}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于起始日期。")})


class Key(models.Model):
    """网络机房管理制度 二(九): 各门钥匙由指定的专人保管，不能随意转借，丢失要声明."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="keys", verbose_name=_("机房"))
    label = models.CharField(_("钥匙"), max_length=100, help_text=_("如：主机房门、外室门、光盘储存柜"))
    copies = models.PositiveSmallIntegerField(_("数量"), default=1)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("保管人")
    )
    since = models.DateField(_("保管起始日期"))
    lost = models.BooleanField(_("已丢失"), default=False)
    lost_declared_on = models.DateField(_("丢失声明日期"), null=True, blank=True)
    lost_statement = models.TextField(_("丢失声明"), blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        ordering = ["room", "label"]
        verbose_name = _("钥匙")
        constraints = [models.UniqueConstraint(fields=["room", "label"], name="facility_key_unique_label")]

    def __str__(self):
        return f"{self.room} {self.label}"

    def clean(self):
        if self.lost and not (self.lost_declared_on and self.lost_statement.strip()):
            raise ValidationError({"lost_statement": _("钥匙丢失须填写丢失声明及声明日期。")})


class KeyHandover(models.Model):
    """A key passed from its holder to another designated person (二(九) 不能随意转借:
    every change of holder is a recorded handover)."""

    key = models.ForeignKey(Key, on_delete=models.PROTECT, related_name="handovers", verbose_name=_("钥匙"))
    from_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("交出人")
    )
    to_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("接收人")
    )
    handed_on = models.DateField(_("交接日期"))
    reason = models.CharField(_("交接原因"), max_length=200)

    class Meta:
        ordering = ["-handed_on", "-pk"]
        verbose_name = _("钥匙交接")

    def __str__(self):
        return f"{self.key} {self.handed_on}"


class ConfidentialMachine(models.Model):
    """网络机房管理制度 五(四)(五)(七): a computer that processes confidential data, with its
    protection measures, authentication and encrypted channel."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    asset_number = models.CharField(_("资产编号"), max_length=40, blank=True)
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("所在机房")
    )
    location = models.CharField(_("存放位置"), max_length=100, blank=True)
    data_processed = models.TextField(_("处理的涉密数据"))
    protection = models.TextField(_("保密措施（五(四)）"))
    authentication = models.TextField(_("身份认证措施（五(七)）"))
    encrypted_channel = models.TextField(_("加密传输通道（五(五)）"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任人")
    )
    last_checked_on = models.DateField(_("最近检查日期"), null=True, blank=True)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("涉密计算机")

    def __str__(self):
        return self.name


class FireExtinguisher(models.Model):
    """网络机房管理制度 二(二): 机房内应按规定配备灭火器，并定期更换."""

    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="extinguishers", verbose_name=_("机房")
    )
    location = models.CharField(_("放置位置"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=ExtinguisherKind.choices)
    capacity = models.CharField(_("规格"), max_length=30, help_text=_("如：4kg"))
    serial = models.CharField(_("编号"), max_length=60, blank=True)
    produced_on = models.DateField(_("生产日期"), null=True, blank=True)
    replace_by = models.DateField(_("应更换日期"))
    last_inspected_on = models.DateField(_("最近检查日期"), null=True, blank=True)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["replace_by", "room"]
        verbose_name = _("灭火器")

    def __str__(self):
        return f"{self.room} {self.location} {self.get_kind_display()}"

    def clean(self):
        if self.produced_on and self.replace_by and self.replace_by <= self.produced_on:
            raise ValidationError({"replace_by": _("应更换日期应晚于生产日期。")})


class MonitoringLog(models.Model):
    """监控管理制度 三: 每天对监控的情况进行登记 — the monitoring room's daily log."""

    day = models.DateField(_("日期"), unique=True)
    monitored = models.TextField(_("监控情况"))
    sessions = models.TextField(_("全程监控的交易场次（项目编号、开标/评标）"))
    discs_burned = models.TextField(_("重点项目刻录存档"), blank=True)
    faults = models.TextField(_("设备故障及处理"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )

    class Meta:
        ordering = ["-day"]
        verbose_name = _("监控日志")

    def __str__(self):
        return f"{self.day}"


class Recording(models.Model):
    """监控管理制度 三、四: a key project's recording burnt to disc or exported and archived.
    Never deleted, altered or lent in the software: lending goes through an approved
    viewing request (ViewingRequest.recordings)."""

    project_code = models.CharField(_("项目编号"), max_length=60, db_index=True)
    project_name = models.CharField(_("项目名称"), max_length=200, blank=True)
    session_date = models.DateField(_("开标/评标日期"))
    room = models.CharField(_("场地"), max_length=100, help_text=_("开标室、评标室编号"))
    medium = models.CharField(_("介质"), max_length=20, choices=RecordingMedium.choices)
    label = models.CharField(_("标签"), max_length=100)
    storage_location = models.CharField(_("存放位置"), max_length=100)
    retain_until = models.DateField(_("保存期限"))
    file = models.FileField(_("导出文件"), upload_to="recordings/%Y/", blank=True, max_length=300)
    file_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("存档人")
    )
    archived_at = models.DateTimeField(_("存档时间"), auto_now_add=True)

    class Meta:
        ordering = ["-session_date", "-pk"]
        verbose_name = _("监控录像存档")

    def __str__(self):
        return f"{self.project_code} {self.session_date} {self.label}"

    def delete(self, *args, **kwargs):
        # 监控管理制度 四 未经批准，不得删除: an archived recording is never deleted.
        raise ValidationError(_("存档的监控录像不能删除。"))


class MajorTask(models.Model):
    """网络机房管理制度 四 任务前维护: before a major task (a large concentrated bid opening,
    a system switch-over) the room gets a maintenance of its own — a one-off obligation
    due the working day before, with the four items of the clause."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+", verbose_name=_("机房"))
    title = models.CharField(_("重大任务"), max_length=200)
    starts_on = models.DateField(_("任务开始日期"))
    note = models.TextField(_("任务要求（需重点检查的设备、临时增设的设备）"), blank=True)
    obligation_key = models.CharField(_("义务编号"), max_length=60, blank=True, editable=False)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("重大任务")

    def __str__(self):
        return f"{self.starts_on} {self.title}"
