"""The registers of the machine room and the monitoring room, kept in the admin through
the compliance register screens (ggzy.compliance.registers): rooms and their thresholds,
sensors, the duty roster, keys and their handovers (机房 二(九)), the machines that
process confidential data (五), fire extinguishers (二(二)) and the monitoring room's
daily log (监控 三). Every save is validated, audited (``facility.register.saved``)
with the changed fields, and allowed only to the keeper of the room concerned."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import User
from ggzy.compliance.registers import Register, RegisterForm, RegisterSet
from ggzy.compliance.registry import ObligationSpec
from ggzy.compliance.services import obligation_ensure, occurrences_generate

from . import rules, services
from .choices import CLASS_DEFAULTS
from .models import (
    ConfidentialMachine,
    DutyShift,
    FireExtinguisher,
    Key,
    KeyHandover,
    MajorTask,
    MonitoringLog,
    Room,
    Sensor,
)

KEEPER_ROLES = (RoleKey.MACHINE_ROOM_ADMIN, RoleKey.MONITORING_ADMIN)


def _keepers():
    return (
        User.objects.filter(is_active=True, groups__role__key__in=KEEPER_ROLES)
        .distinct()
        .order_by("username")
    )


THRESHOLDS = ("temp_min", "temp_max", "humidity_min", "humidity_max")


class RoomForm(RegisterForm):
    """Thresholds left empty take the GB 50174-2017 defaults of the room's class."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in THRESHOLDS:
            self.fields[name].required = False
            self.fields[name].help_text = _("留空则按机房等级取 GB 50174-2017 的默认值")

    def clean(self):
        data = super().clean()
        defaults = CLASS_DEFAULTS.get(data.get("room_class"), {})
        for name in THRESHOLDS:
            if data.get(name) is None and name in defaults:
                data[name] = defaults[name]
                setattr(self.instance, name, defaults[name])
        return data


class ShiftForm(RegisterForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _keepers()


class KeyForm(RegisterForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = User.objects.filter(is_active=True).order_by("username")


class HandoverForm(RegisterForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].queryset = Key.objects.filter(lost=False).select_related("room")
        self.fields["to_holder"].queryset = User.objects.filter(is_active=True).order_by("username")


def _room_of(row):
    if row is None:
        return None
    if isinstance(row, Room):
        return row if row.kind else None
    if isinstance(row, KeyHandover):
        return row.key.room if row.key_id else None
    room_id = getattr(row, "room_id", None)
    return Room.objects.get(pk=room_id) if room_id else None


def _keeps_room(user, register, row) -> bool:
    """The room's keeper (机房 一、二(一): 机房管理员; 监控 一: 监控管理员); for a new row,
    either — the row's room is checked again once the form is read."""
    room = _room_of(row)
    if room is None:
        return bool(rules.role_keys(user) & set(KEEPER_ROLES))
    return rules.may_keep_room(user, room)


def _handover_keeper(user, register, row) -> bool:
    # A handover is history: recorded once, never changed.
    return (row is None or row.pk is None) and _keeps_room(user, register, row)


def _confidential_keeper(user, register, row) -> bool:
    """五(二) 机房负责人…检查保密措施: the 机房管理员 keeps the register, the 安全管理员 too."""
    return bool(rules.role_keys(user) & {RoleKey.MACHINE_ROOM_ADMIN, RoleKey.SECURITY_ADMIN})


def _monitoring_keeper(user, register, row) -> bool:
    return RoleKey.MONITORING_ADMIN in rules.role_keys(user)


def _shift_person(*, row, actor, created):
    keeper = rules.KEEPERS[row.room.kind]
    if not row.person.is_active or keeper not in row.person.role_keys():
        raise ValidationError(
            {"person": _("值班人须是该机房的管理员（%(role)s）。") % {"role": RoleKey(keeper).label}}
        )


def _handover_check(*, row, actor, created):
    key = Key.objects.select_for_update().get(pk=row.key_id)
    if key.lost:
        raise ValidationError({"key": _("已丢失的钥匙不能交接。")})
    if key.holder_id == row.to_holder_id:
        raise ValidationError({"to_holder": _("接收人已是该钥匙的保管人。")})
    if row.handed_on < key.since:
        raise ValidationError({"handed_on": _("交接日期不能早于现保管人的保管起始日期。")})
    row.from_holder_id = key.holder_id


def _handover_moves_key(*, row, actor, created):
    Key.objects.filter(pk=row.key_id).update(holder=row.to_holder, since=row.handed_on)


PRE_TASK_CHECKLIST = (
    {
        "key": "quarterly",
        "label": gettext_lazy("已完成季度维护的内容（四 任务前维护 1）"),
        "type": "yes_no",
        "expected": True,
    },
    {
        "key": "devices",
        "label": gettext_lazy("已按任务要求重点检查相关设备（2）"),
        "type": "yes_no",
        "expected": True,
    },
    {
        "key": "temporary",
        "label": gettext_lazy("临时增设的设备已事先安装调试（3；无则填无）"),
        "type": "text",
    },
    {"key": "other", "label": gettext_lazy("其他有关设备维护（4）"), "type": "text", "required": False},
)


def _pre_task_duty(*, row, actor, created):
    """四 任务前维护: a one-off duty of the room's keeper, due the day before the task
    (the working day before, when that is a holiday)."""
    row.obligation_key = row.obligation_key or f"jf-pre-task-{row.pk}"
    MajorTask.objects.filter(pk=row.pk).update(obligation_key=row.obligation_key)
    due = row.starts_on - dt.timedelta(days=1)
    obligation_ensure(
        spec=ObligationSpec(
            key=row.obligation_key,
            title=_("任务前维护：%(room)s %(task)s") % {"room": row.room, "task": row.title},
            clauses=("jf.4.t.1", "jf.4.t.2", "jf.4.t.3", "jf.4.t.4"),
            owner_role=rules.KEEPERS[row.room.kind],
            rrule="FREQ=DAILY;COUNT=1",
            starts_on=due,
            evidence="none",
            non_working_day="previous",
            checklist=tuple({**item, "label": str(item["label"])} for item in PRE_TASK_CHECKLIST),
            due_soon_days=7,
        ),
        actor=actor,
    )
    occurrences_generate(actor=actor)


def _pre_task_dates(*, row, actor, created):
    if created and row.starts_on <= timezone.localdate():
        raise ValidationError({"starts_on": _("任务开始日期须晚于今天（任务前维护在前一日完成）。")})
    if not created and MajorTask.objects.filter(pk=row.pk).exclude(starts_on=row.starts_on).exists():
        raise ValidationError({"starts_on": _("任务日期登记后不能修改；日期变更请登记新的任务。")})


def _author(*, row, actor, created):
    if created:
        row.author = actor


FACILITY_REGISTERS = RegisterSet(
    app="facility",
    path="facility/registers",
    audit_action="facility.register.saved",
    may_see=rules.may_see_rooms,
    may_keep=lambda user, register, row: KEEPS[register.key](user, register, row),
    refusal=gettext_lazy("此登记由相应机房的管理员维护。"),
    registers=(
        Register(
            "rooms",
            Room,
            (
                "name",
                "kind",
                "room_class",
                "commissioned_on",
                "temp_min",
                "temp_max",
                "humidity_min",
                "humidity_max",
            ),
            gettext_lazy("机房与阈值"),
            gettext_lazy(
                "网络机房管理制度 一(三)、四：机房及其环境阈值（默认按 GB 50174-2017 的机房等级）；"
                "超出阈值时向安全事件模块告警。"
            ),
            ("name", "kind", "room_class", "temp_min", "temp_max", "humidity_min", "humidity_max"),
            base_form=RoomForm,
            after_save=lambda *, row, actor, created: services.room_repair_duties_ensure(
                room=row, actor=actor
            ),
        ),
        Register(
            "sensors",
            Sensor,
            (
                "room",
                "name",
                "kind",
                "host",
                "port",
                "community",
                "temperature_oid",
                "humidity_oid",
                "scale",
                "enabled",
            ),
            gettext_lazy("传感器"),
            gettext_lazy("网络机房管理制度 一(三)1、2：温湿度和供电由传感器经 SNMP 读取，每分钟一次。"),
            ("room", "name", "kind", "host", "port", "enabled", "last_error"),
            related=("room",),
        ),
        Register(
            "roster",
            DutyShift,
            ("room", "person", "starts_on", "ends_on", "note"),
            gettext_lazy("值班安排"),
            gettext_lazy("网络机房管理制度 一：值班安排；交接班签收须由接班的值班人进行。"),
            ("room", "person", "starts_on", "ends_on", "note"),
            related=("room", "person"),
            base_form=ShiftForm,
            before_save=_shift_person,
        ),
        Register(
            "keys",
            Key,
            (
                "room",
                "label",
                "copies",
                "holder",
                "since",
                "lost",
                "lost_declared_on",
                "lost_statement",
                "note",
            ),
            gettext_lazy("钥匙"),
            gettext_lazy("网络机房管理制度 二(九)：各门钥匙由指定的专人保管，不能随意转借，丢失要声明。"),
            ("room", "label", "copies", "holder", "since", "lost"),
            related=("room", "holder"),
            base_form=KeyForm,
        ),
        Register(
            "key_handovers",
            KeyHandover,
            ("key", "to_holder", "handed_on", "reason"),
            gettext_lazy("钥匙交接"),
            gettext_lazy("网络机房管理制度 二(九)：钥匙不得随意转借；每次更换保管人都登记交接。"),
            ("handed_on", "key", "from_holder", "to_holder", "reason"),
            related=("key__room", "from_holder", "to_holder"),
            base_form=HandoverForm,
            before_save=_handover_check,
            after_save=_handover_moves_key,
        ),
        Register(
            "confidential",
            ConfidentialMachine,
            (
                "name",
                "asset_number",
                "room",
                "location",
                "data_processed",
                "protection",
                "authentication",
                "encrypted_channel",
                "responsible",
                "last_checked_on",
                "active",
            ),
            gettext_lazy("涉密计算机"),
            gettext_lazy(
                "网络机房管理制度 五(四)(五)(七)：处理涉密数据的计算机须有保密措施、严格的身份认证，"
                "涉密信息只在加密通道传输。"
            ),
            ("name", "room", "responsible", "last_checked_on", "active"),
            related=("room", "responsible"),
        ),
        Register(
            "extinguishers",
            FireExtinguisher,
            (
                "room",
                "location",
                "kind",
                "capacity",
                "serial",
                "produced_on",
                "replace_by",
                "last_inspected_on",
                "active",
            ),
            gettext_lazy("灭火器"),
            gettext_lazy("网络机房管理制度 二(二)：机房内应按规定配备灭火器，并定期更换。"),
            ("room", "location", "kind", "capacity", "replace_by", "last_inspected_on", "active"),
            related=("room",),
        ),
        Register(
            "pre_tasks",
            MajorTask,
            ("room", "title", "starts_on", "note"),
            gettext_lazy("重大任务"),
            gettext_lazy(
                "网络机房管理制度 四 任务前维护：重大任务前完成季度维护内容、重点检查相关设备、"
                "事先安装调试临时增设的设备。登记后生成任务前一日到期的维护义务。"
            ),
            ("starts_on", "room", "title", "obligation_key"),
            related=("room",),
            before_save=_pre_task_dates,
            after_save=_pre_task_duty,
        ),
        Register(
            "monitoring",
            MonitoringLog,
            ("day", "monitored", "sessions", "discs_burned", "faults"),
            gettext_lazy("监控日志"),
            gettext_lazy("监控管理制度 三：对交易过程全程监控，每天对监控的情况进行登记。"),
            ("day", "sessions", "discs_burned", "faults", "author"),
            related=("author",),
            before_save=_author,
        ),
    ),
)

KEEPS = {
    "rooms": _keeps_room,
    "sensors": _keeps_room,
    "roster": _keeps_room,
    "keys": _keeps_room,
    "key_handovers": _handover_keeper,
    "confidential": _confidential_keeper,
    "extinguishers": _keeps_room,
    "pre_tasks": _keeps_room,
    "monitoring": _monitoring_keeper,
}
