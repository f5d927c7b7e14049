"""Writes of the facility records: each validates, then audits in the same
transaction (网络机房管理制度, 监控管理制度)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from decimal import Decimal

import filetype
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.accounts.choices import RoleKey
from ggzy.audit import services as audit
from ggzy.audit.choices import Outcome
from ggzy.compliance.registry import ObligationSpec
from ggzy.compliance.services import obligation_ensure
from ggzy.incidents.alerts import raise_alert, resolve_alert
from ggzy.incidents.choices import IncidentType, Severity

from . import rules, snmp
from .choices import (
    CLASS_DEFAULTS,
    ReadingSource,
    RecordingMedium,
    RoomKind,
    SensorKind,
    ViewingState,
    VisitState,
)
from .models import (
    DutyLog,
    DutyShift,
    Reading,
    ReadingAggregate,
    Recording,
    Room,
    Sensor,
    ViewingRequest,
    Visit,
)

ALERT_SOURCE = "facility"

# --------------------------------------------------------------------------- rooms and sensors


@transaction.atomic
def room_create(
    *,
    name: str,
    kind: str,
    actor,
    room_class: str = "C",
    commissioned_on: dt.date | None = None,
    **thresholds,
) -> Room:
    """A room with the GB 50174-2017 thresholds of its class unless given."""
    if kind not in RoomKind.values:
        raise ValidationError(_("未知的机房类型。"))
    values = {**CLASS_DEFAULTS[room_class], **thresholds}
    if values["temp_min"] >= values["temp_max"] or values["humidity_min"] >= values["humidity_max"]:
        raise ValidationError(_("阈值下限必须小于上限。"))
    room = Room.objects.create(
        name=name, kind=kind, room_class=room_class, commissioned_on=commissioned_on, **values
    )
    audit.record(action="facility.room.created", actor=actor, obj=room, after={"name": name, "kind": kind})
    room_repair_duties_ensure(room=room, actor=actor)
    return room


# 四 大修和中修: about every two years a mid repair, about every five an overhaul, counted
# from the day the room went into use.
REPAIR_DUTIES = (
    (
        "mid-repair",
        "jf.4.o.1",
        2,
        gettext_lazy("机房及设备中修（约每两年）"),
        gettext_lazy("中修内容（根据实际使用情况）"),
        60,
    ),
    ("overhaul", "jf.4.o.2", 5, gettext_lazy("机房及设备大修（约每五年）"), gettext_lazy("大修内容"), 90),
)


def repair_duty_key(room: Room, kind: str) -> str:
    return f"jf-{kind}-room-{room.pk}"


def repair_duties_ensure_all(*, actor=None) -> int:
    """Every dated machine room's repair duties (setup_center, after an upgrade)."""
    return sum(len(room_repair_duties_ensure(room=room, actor=actor)) for room in Room.objects.all())


def room_repair_duties_ensure(*, room: Room, actor) -> list[str]:
    """The machine room's mid-repair and overhaul duties, dated from its commissioning
    date (a room without one has none: the check says so). Returns their keys."""
    if room.kind != RoomKind.MACHINE_ROOM or room.commissioned_on is None:
        return []
    keys = []
    for kind, clause, years, title, scope, soon in REPAIR_DUTIES:
        key = repair_duty_key(room, kind)
        obligation_ensure(
            spec=ObligationSpec(
                key=key,
                title=f"{title}：{room.name}",
                clauses=(clause,),
                owner_role=RoleKey.MACHINE_ROOM_ADMIN,
                rrule=f"FREQ=YEARLY;INTERVAL={years}",
                starts_on=room.commissioned_on + relativedelta(years=years),
                evidence="file",
                non_working_day="previous",
                checklist=({"key": "scope", "label": str(scope), "type": "text"},),
                due_soon_days=soon,
            ),
            actor=actor,
        )
        keys.append(key)
    return keys


@transaction.atomic
def sensor_create(*, room: Room, name: str, kind: str, host: str, port: int = 161, actor, **config) -> Sensor:
    if kind == SensorKind.ENVIRONMENT and not (config.get("temperature_oid") or config.get("humidity_oid")):
        raise ValidationError(_("温湿度传感器至少需要温度或湿度 OID。"))
    sensor = Sensor.objects.create(room=room, name=name, kind=kind, host=host, port=port, **config)
    audit.record(
        action="facility.sensor.created",
        actor=actor,
        obj=sensor,
        after={"host": host, "port": port, "kind": kind},
    )
    return sensor


# --------------------------------------------------------------------------- polling (一(三)1、2)


def _target(sensor: Sensor) -> snmp.Target:
    if sensor.kind == SensorKind.UPS:
        oids = dict(snmp.UPS_OIDS)
    else:
        oids = {
            k: v for k, v in (("temperature", sensor.temperature_oid), ("humidity", sensor.humidity_oid)) if v
        }
    return snmp.Target(sensor.pk, sensor.host, sensor.port, sensor.community, oids)


def _reading(sensor: Sensor, values: dict[str, int], when) -> Reading:
    if sensor.kind == SensorKind.UPS:
        return Reading(
            sensor=sensor,
            taken_at=when,
            on_battery=values["output_source"] == snmp.OUTPUT_SOURCE_BATTERY,
            input_voltage=values["input_voltage"],
            output_voltage=values["output_voltage"],
            battery_minutes=values["battery_minutes"],
            battery_charge=values["battery_charge"],
        )
    scale = Decimal(sensor.scale or 1)
    return Reading(
        sensor=sensor,
        taken_at=when,
        temperature=(Decimal(values["temperature"]) / scale).quantize(Decimal("0.1"))
        if "temperature" in values
        else None,
        humidity=(Decimal(values["humidity"]) / scale).quantize(Decimal("0.1"))
        if "humidity" in values
        else None,
    )


def poll_sensors(*, sensors=None, now: dt.datetime | None = None) -> list[Reading]:
    """Read every enabled sensor once (the periodic task, every minute), store the
    readings, and raise or resolve the rooms' alerts (网络机房管理制度 一(三)1、2;
    网络信息安全故障应急预案 第七条: 机房设备硬件故障)."""
    now = now or timezone.now()
    sensors = list(
        sensors if sensors is not None else Sensor.objects.filter(enabled=True).select_related("room")
    )
    answers = snmp.get_all([_target(s) for s in sensors])  # network first, outside any transaction
    readings = []
    with transaction.atomic():
        for sensor, answer in zip(sensors, answers, strict=True):
            sensor.last_polled_at = now
            sensor.last_error = answer.error
            sensor.save(update_fields=["last_polled_at", "last_error"])
            if not answer.error:
                readings.append(_reading(sensor, answer.values, now))
        Reading.objects.bulk_create(readings)
        for reading in readings:
            _evaluate(reading)
    return readings


def _breach(
    key: str, breached: bool, *, title: str, detail: str, room: Room, severity=Severity.GENERAL
) -> None:
    if breached:
        raise_alert(
            source=ALERT_SOURCE,
            key=key,
            title=title,
            incident_type=IncidentType.HARDWARE,
            severity=severity,
            detail=detail,
            links=[(room.name, f"/admin/facility/rooms/{room.pk}/")],
        )
    else:
        resolve_alert(source=ALERT_SOURCE, key=key, detail=detail)


def _evaluate(reading: Reading) -> None:
    """A threshold breach or a UPS on battery raises an alert; recovery resolves it."""
    sensor, room = reading.sensor, reading.sensor.room
    if reading.temperature is not None:
        bad = not (room.temp_min <= reading.temperature <= room.temp_max)
        _breach(
            f"temperature:{sensor.pk}",
            bad,
            title=_("%(room)s 温度越限") % {"room": room.name},
            detail=_("%(sensor)s 温度 %(value)s ℃（允许 %(low)s–%(high)s ℃）")
            % {
                "sensor": sensor.name,
                "value": reading.temperature,
                "low": room.temp_min,
                "high": room.temp_max,
            },
            room=room,
        )
    if reading.humidity is not None:
        bad = not (room.humidity_min <= reading.humidity <= room.humidity_max)
        _breach(
            f"humidity:{sensor.pk}",
            bad,
            title=_("%(room)s 湿度越限") % {"room": room.name},
            detail=_("%(sensor)s 湿度 %(value)s %%（允许 %(low)s–%(high)s %%）")
            % {
                "sensor": sensor.name,
                "value": reading.humidity,
                "low": room.humidity_min,
                "high": room.humidity_max,
            },
            room=room,
        )
    if reading.on_battery is not None:
        _breach(
            f"ups_on_battery:{sensor.pk}",
            reading.on_battery,
            title=_("%(room)s UPS 转电池供电") % {"room": room.name},
            detail=_("%(sensor)s 输入电压 %(input)s V，电池剩余 %(minutes)s 分钟")
            % {"sensor": sensor.name, "input": reading.input_voltage, "minutes": reading.battery_minutes},
            room=room,
            severity=Severity.MAJOR,
        )


# --------------------------------------------------------------------------- downsampling and retention

RAW_DAYS = 30  # raw readings kept this long, then averaged into buckets
BUCKET_MINUTES = 15


def _bucket(when: dt.datetime) -> dt.datetime:
    return when.replace(minute=when.minute - when.minute % BUCKET_MINUTES, second=0, microsecond=0)


def _avg(values):
    values = [v for v in values if v is not None]
    return (sum(values) / len(values)).quantize(Decimal("0.1")) if values else None


def _fold(items: list[Reading]) -> dict:
    temps = [r.temperature for r in items if r.temperature is not None]
    hums = [r.humidity for r in items if r.humidity is not None]
    volts = [r.input_voltage for r in items if r.input_voltage is not None]
    return {
        "samples": len(items),
        "temperature_avg": _avg(temps),
        "temperature_max": max(temps, default=None),
        "humidity_avg": _avg(hums),
        "humidity_max": max(hums, default=None),
        "on_battery_samples": sum(1 for r in items if r.on_battery),
        "input_voltage_min": min(volts, default=None),
    }


def _merge(old: ReadingAggregate, new: dict) -> dict:
    def weighted(a, b):
        if a is None or b is None:
            return a if b is None else b
        return ((a * old.samples + b * new["samples"]) / (old.samples + new["samples"])).quantize(
            Decimal("0.1")
        )

    def pick(a, b, f):
        return a if b is None else b if a is None else f(a, b)

    return {
        "samples": old.samples + new["samples"],
        "temperature_avg": weighted(old.temperature_avg, new["temperature_avg"]),
        "temperature_max": pick(old.temperature_max, new["temperature_max"], max),
        "humidity_avg": weighted(old.humidity_avg, new["humidity_avg"]),
        "humidity_max": pick(old.humidity_max, new["humidity_max"], max),
        "on_battery_samples": old.on_battery_samples + new["on_battery_samples"],
        "input_voltage_min": pick(old.input_voltage_min, new["input_voltage_min"], min),
    }


ROLLUP_BATCH = 2000


def readings_rollup(*, now: dt.datetime | None = None) -> int:
    """Closed 15-minute buckets of the raw window become aggregates as they close (the
    raw readings stay RAW_DAYS): the week and month charts then read at most 96 points a
    day per sensor instead of 1,440. From the newest aggregate (recomputed: a reading
    may have arrived late) to the open bucket, streamed in sensor and time order;
    idempotent. Returns the buckets written."""
    now = now or timezone.now()
    end = _bucket(now)
    floor = _bucket(now - dt.timedelta(days=RAW_DAYS))
    latest = ReadingAggregate.objects.filter(bucket_start__gte=floor, bucket_start__lt=end).aggregate(
        m=Max("bucket_start")
    )["m"]
    start = max(latest or floor, floor)
    existing = {
        (a.sensor_id, a.bucket_start): a
        for a in ReadingAggregate.objects.filter(bucket_start__gte=start, bucket_start__lt=end)
    }
    fields = [f for f in _fold([]) if f != "samples"] + ["samples"]
    written, create, update = 0, [], []

    def flush():
        ReadingAggregate.objects.bulk_create(create)
        ReadingAggregate.objects.bulk_update(update, fields)
        create.clear()
        update.clear()

    def write_bucket(key, items):
        nonlocal written
        values = _fold(items)
        row = existing.get(key)
        if row is None:
            create.append(ReadingAggregate(sensor_id=key[0], bucket_start=key[1], **values))
        else:
            for name, value in values.items():
                setattr(row, name, value)
            update.append(row)
        written += 1
        if len(create) + len(update) >= ROLLUP_BATCH:
            flush()

    rows = Reading.objects.filter(taken_at__gte=start, taken_at__lt=end).order_by("sensor_id", "taken_at")
    with transaction.atomic():
        key, items = None, []
        for reading in rows.iterator(chunk_size=5000):
            this = (reading.sensor_id, _bucket(reading.taken_at))
            if this != key and items:
                write_bucket(key, items)
                items = []
            key = this
            items.append(reading)
        if items:
            write_bucket(key, items)
        flush()
    return written


def readings_downsample(*, now: dt.datetime | None = None, keep_days: int | None = None) -> tuple[int, int]:
    """Raw readings older than RAW_DAYS become 15-minute aggregates (and are deleted);
    aggregates older than ``FACILITY_READINGS_KEEP_DAYS`` (≥ 1 year) are deleted.
    Returns (raw readings folded, aggregates deleted). Idempotent; one transaction per sensor."""
    now = now or timezone.now()
    keep_days = keep_days or settings.FACILITY_READINGS_KEEP_DAYS
    cutoff = _bucket(now - dt.timedelta(days=RAW_DAYS))
    folded = 0
    for sensor_id in (
        Reading.objects.filter(taken_at__lt=cutoff).values_list("sensor_id", flat=True).distinct()
    ):
        with transaction.atomic():
            rows = Reading.objects.filter(sensor_id=sensor_id, taken_at__lt=cutoff).order_by("taken_at")
            buckets: dict[dt.datetime, list[Reading]] = {}
            for reading in rows.iterator(chunk_size=5000):
                buckets.setdefault(_bucket(reading.taken_at), []).append(reading)
            for start, items in buckets.items():
                values = _fold(items)
                existing = ReadingAggregate.objects.filter(sensor_id=sensor_id, bucket_start=start).first()
                # Rolled up while its raw readings were all here: recomputed from them.
                # Fewer raw than samples: the bucket was folded and its raw deleted before,
                # and these arrived late — merged.
                if existing is not None and existing.samples > len(items):
                    values = _merge(existing, values)
                ReadingAggregate.objects.update_or_create(
                    sensor_id=sensor_id, bucket_start=start, defaults=values
                )
            folded += rows.delete()[0]
    dropped = ReadingAggregate.objects.filter(bucket_start__lt=now - dt.timedelta(days=keep_days)).delete()[0]
    return folded, dropped


# --------------------------------------------------------------------------- the duty log (一(三)、一(六))


def duty_log_prefill(*, room: Room, day: dt.date) -> dict:
    """What the sensors say about the day: the latest temperature and humidity (mean
    over the room's units), and whether a UPS ran on battery (一(三)1、2)."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = start + dt.timedelta(days=1)
    readings = Reading.objects.filter(sensor__room=room, taken_at__gte=start, taken_at__lt=end)
    latest_env = {}
    for r in readings.filter(sensor__kind=SensorKind.ENVIRONMENT).order_by("sensor_id", "-taken_at"):
        latest_env.setdefault(r.sensor_id, r)
    temps = [r.temperature for r in latest_env.values() if r.temperature is not None]
    hums = [r.humidity for r in latest_env.values() if r.humidity is not None]
    on_battery = list(
        readings.filter(on_battery=True).order_by("taken_at").values_list("taken_at", flat=True)[:1000]
    )
    ups_seen = readings.filter(sensor__kind=SensorKind.UPS).exists()
    if not (temps or hums or ups_seen):
        return {}
    data = {}
    if temps:
        data["temperature"] = (sum(temps) / len(temps)).quantize(Decimal("0.1"))
    if hums:
        data["humidity"] = (sum(hums) / len(hums)).quantize(Decimal("0.1"))
    if ups_seen:
        data["power_normal"] = not on_battery
        if on_battery:
            first, last = timezone.localtime(on_battery[0]), timezone.localtime(on_battery[-1])
            data["power_interruptions"] = _("UPS 电池供电：%(first)s 至 %(last)s，共 %(count)s 次读数") % {
                "first": first.strftime("%H:%M"),
                "last": last.strftime("%H:%M"),
                "count": len(on_battery),
            }
    return data


def duty_log_visitors(*, room: Room, day: dt.date) -> str:
    """一(三)5 进入机房的其他人数量和活动情况: the visitor register's entries of the day,
    one line each, for the person on duty to confirm."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    visits = Visit.objects.filter(
        room=room, entered_at__gte=start, entered_at__lt=start + dt.timedelta(days=1)
    ).order_by("entered_at")
    lines = []
    for visit in visits:
        left = timezone.localtime(visit.left_at).strftime("%H:%M") if visit.left_at else _("未离开")
        lines.append(
            _("%(visitor)s（%(company)s）%(entered)s–%(left)s：%(purpose)s，陪同 %(escort)s")
            % {
                "visitor": visit.visitor,
                "company": visit.company,
                "entered": timezone.localtime(visit.entered_at).strftime("%H:%M"),
                "left": left,
                "purpose": visit.purpose,
                "escort": visit.escort,
            }
        )
    if not lines:
        return ""
    return _("共 %(n)d 人次：") % {"n": len(lines)} + "\n" + "\n".join(lines)


DUTY_FIELDS = (
    "weather",
    "temperature",
    "humidity",
    "power_normal",
    "power_interruptions",
    "network_status",
    "equipment_use",
    "other_people",
    "user_requests",
    "lights_checked",
    "doors_checked",
    "windows_checked",
    "locks_checked",
)


def duty_log_save(*, room: Room, day: dt.date, actor, **fields) -> DutyLog:
    """The keeper of the room writes the day's log (一(三)); readings from the sensors
    are taken when the room has them, typed only when it has none."""
    if not rules.may_keep_room(actor, room):
        raise PermissionDenied(_("只有本机房的管理员可以填写值班记录。"))
    unknown = set(fields) - set(DUTY_FIELDS)
    if unknown:
        raise TypeError(f"unknown duty log fields: {sorted(unknown)}")
    errors = []
    if day > timezone.localdate():
        errors.append(_("不能填写未来日期的值班记录。"))
    if not (fields.get("weather") or "").strip():
        errors.append(_("请填写天气状况。"))
    if not (fields.get("network_status") or "").strip():
        errors.append(_("请填写网络和服务器运行情况。"))
    if fields.get("power_normal") is False and not (fields.get("power_interruptions") or "").strip():
        errors.append(_("供电不正常时请填写中断时间和时长。"))
    if fields.get("temperature") is None or fields.get("humidity") is None:
        errors.append(_("请填写室内温度和湿度。"))
    if not all(
        fields.get(k) for k in ("lights_checked", "doors_checked", "windows_checked", "locks_checked")
    ):
        errors.append(_("请完成灯光、门、窗、锁的检查（一(六)）。"))
    existing = DutyLog.objects.filter(room=room, day=day).first()
    if existing is not None and existing.signed_by_id:
        errors.append(_("该值班记录已交班签收，不能再修改。"))
    if errors:
        message = " ".join(errors)
        with transaction.atomic():  # the refused attempt is kept
            audit.record(
                action="facility.duty_log.rejected",
                actor=actor,
                outcome=Outcome.FAILURE,
                object_type="facility.room",
                object_id=str(room.pk),
                reason=message,
            )
        raise ValidationError(message)
    prefill = duty_log_prefill(room=room, day=day)
    source = ReadingSource.SENSORS if prefill else ReadingSource.MANUAL
    with transaction.atomic():
        log, created = DutyLog.objects.update_or_create(
            room=room, day=day, defaults={**fields, "author": actor, "readings_source": source}
        )
        audit.record(
            action="facility.duty_log.saved",
            actor=actor,
            obj=log,
            after={k: str(v) for k, v in fields.items()} | {"readings_source": source, "created": created},
        )
    return log


@transaction.atomic
def duty_log_sign(*, log: DutyLog, actor) -> DutyLog:
    """Shift handover: the next person on duty signs the previous entry (一)."""
    log = DutyLog.objects.select_for_update().get(pk=log.pk)
    if not rules.may_keep_room(actor, log.room):
        raise PermissionDenied(_("只有本机房的管理员可以签收值班记录。"))
    if log.signed_by_id:
        raise ValidationError(_("该值班记录已签收。"))
    if log.author_id == actor.pk:
        raise ValidationError(_("交班签收须由接班人进行，不能签收自己的值班记录。"))
    # 一: the next person on duty signs. Where the roster covers today, only they may.
    rostered = DutyShift.objects.filter(
        room=log.room, starts_on__lte=timezone.localdate(), ends_on__gte=timezone.localdate()
    )
    if rostered.exists() and not rostered.filter(person=actor).exists():
        names = "、".join(sorted({s.person.get_username() for s in rostered.select_related("person")}))
        raise ValidationError(_("交接班签收须由今日值班人（%(names)s）进行。") % {"names": names})
    log.signed_by, log.signed_at = actor, timezone.now()
    log.save(update_fields=["signed_by", "signed_at"])
    audit.record(action="facility.duty_log.signed", actor=actor, obj=log)
    return log


def _require_filled(*fields: tuple[str, str | None]) -> None:
    """(label, value) pairs: every empty one named in a single Chinese error."""
    missing = [str(label) for label, value in fields if not (value or "").strip()]
    if missing:
        raise ValidationError(_("请填写：%(fields)s") % {"fields": "、".join(missing)})


# --------------------------------------------------------------------------- viewing requests (监控 四)


@transaction.atomic
def viewing_request_file(
    *,
    actor,
    department: str,
    person: str,
    purpose: str,
    project_code: str,
    session_date: dt.date,
    copy_requested: bool = False,
) -> ViewingRequest:
    if not rules.may_file_viewing(actor):
        raise PermissionDenied(_("只有监控管理员可以登记调阅申请。"))
    _require_filled(
        (_("调阅部门"), department),
        (_("调阅人"), person),
        (_("调阅事由"), purpose),
        (_("项目编号"), project_code),
    )
    request = ViewingRequest.objects.create(
        requested_by=actor,
        department=department.strip(),
        person=person.strip(),
        purpose=purpose.strip(),
        project_code=project_code.strip(),
        session_date=session_date,
        copy_requested=copy_requested,
    )
    audit.record(
        action="facility.viewing.requested",
        actor=actor,
        obj=request,
        after={"department": request.department, "project_code": request.project_code},
    )
    return request


def _viewing_refused(actor, request: ViewingRequest, message: str, attempted: str):
    with transaction.atomic():
        audit.record(
            action="facility.viewing.rejected",
            actor=actor,
            obj=request,
            outcome=Outcome.FAILURE,
            attempted=attempted,
            reason=message,
        )


def viewing_request_decide(
    *, request: ViewingRequest, actor, approve: bool, note: str = ""
) -> ViewingRequest:
    """四: the head of 交易监督科 approves or refuses."""
    if not rules.may_decide_viewing(actor):
        message = _("只有交易监督科负责人可以审批调阅申请。")
        _viewing_refused(actor, request, message, "decide")
        raise PermissionDenied(message)
    with transaction.atomic():
        request = ViewingRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != ViewingState.REQUESTED:
            raise ValidationError(_("该申请已审批。"))
        if not approve and not note.strip():
            raise ValidationError(_("不批准时请说明理由。"))
        request.state = ViewingState.APPROVED if approve else ViewingState.REFUSED
        request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note.strip()
        request.save()
        audit.record(
            action="facility.viewing.decided",
            actor=actor,
            obj=request,
            after={"state": request.state, "note": note},
        )
    return request


def viewing_record(*, request: ViewingRequest, actor, record: str, recordings=()) -> ViewingRequest:
    """四: the viewing or copy is recorded — only on an approved request; an attempt
    without approval is refused and audited. ``recordings``: the archived recordings
    lent under it — of the approved project only, and not already out."""
    if not rules.may_file_viewing(actor):
        raise PermissionDenied(_("只有监控管理员可以登记调阅。"))
    request = ViewingRequest.objects.get(pk=request.pk)  # the current state, not the caller's copy
    if request.state != ViewingState.APPROVED:
        message = _("该申请未经批准，不得调阅、复制或外借监控录像。")
        _viewing_refused(actor, request, message, "view")
        raise ValidationError(message)
    if not record.strip():
        raise ValidationError(_("请填写调阅或复制情况。"))
    lent = list(Recording.objects.filter(pk__in=[getattr(r, "pk", r) for r in recordings]))
    if other := [r for r in lent if r.project_code != request.project_code]:
        message = _("录像 %(labels)s 不属于批准调阅的项目 %(code)s，不得外借。") % {
            "labels": "、".join(r.label for r in other),
            "code": request.project_code,
        }
        _viewing_refused(actor, request, message, "lend")
        raise ValidationError(message)
    if out := [r for r in lent if recording_is_lent(r)]:
        raise ValidationError(
            _("录像 %(labels)s 已借出，尚未归还。") % {"labels": "、".join(r.label for r in out)}
        )
    with transaction.atomic():
        request = ViewingRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != ViewingState.APPROVED:
            raise ValidationError(_("该申请已登记调阅。"))
        request.state, request.viewing_record, request.viewed_at = (
            ViewingState.VIEWED,
            record.strip(),
            timezone.now(),
        )
        request.save(update_fields=["state", "viewing_record", "viewed_at"])
        request.recordings.set(lent)
        audit.record(
            action="facility.viewing.recorded",
            actor=actor,
            obj=request,
            after={"record": record, "recordings": [r.pk for r in lent]},
        )
    return request


# ------------------------------------------------------------- the recording archive (监控 三、四)

RECORDING_CHUNK = 1024 * 1024


def recording_is_lent(recording: Recording) -> bool:
    return recording.viewings.filter(state=ViewingState.VIEWED).exists()


def _hash_upload(upload) -> tuple[str, int]:
    """SHA-256 and size of an upload: as hashed while it arrived (uploads.HashingUploadHandler),
    or chunk by chunk (a recording may be gigabytes: never read whole into memory)."""
    if getattr(upload, "sha256", None):
        return upload.sha256, upload.hashed_size
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in upload.chunks(RECORDING_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def _is_video(upload) -> bool:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind is not None and kind.mime.startswith("video/")


def recording_archive(
    *,
    actor,
    project_code: str,
    session_date: dt.date,
    room: str,
    medium: str,
    label: str,
    storage_location: str,
    retain_until: dt.date,
    project_name: str = "",
    upload=None,
) -> Recording:
    """三: a key project's recording, burnt to disc or exported, is archived with its
    label and place; an uploaded export is checked to be a video and stored with its
    SHA-256. The row is never changed or deleted afterwards (四)."""
    if not rules.may_file_viewing(actor):
        raise PermissionDenied(_("只有监控管理员可以存档监控录像。"))
    _require_filled(
        (_("项目编号"), project_code),
        (_("场地"), room),
        (_("标签"), label),
        (_("存放位置"), storage_location),
    )
    if medium not in RecordingMedium.values:
        raise ValidationError({"medium": _("请选择介质。")})
    if retain_until <= session_date:
        raise ValidationError({"retain_until": _("保存期限应晚于开标/评标日期。")})
    if upload is not None and not _is_video(upload):
        raise ValidationError({"upload": _("上传的文件不是视频文件。")})
    sha256, size = _hash_upload(upload) if upload is not None else ("", 0)
    recording = Recording(
        project_code=project_code.strip(),
        project_name=project_name.strip(),
        session_date=session_date,
        room=room.strip(),
        medium=medium,
        label=label.strip(),
        storage_location=storage_location.strip(),
        retain_until=retain_until,
        archived_by=actor,
        sha256=sha256,
        size=size,
        file_name=(getattr(upload, "name", "") or "")[:255],
    )
    stored = None
    try:
        with transaction.atomic():
            if upload is not None:
                stored = recording.file.field.generate_filename(recording, os.path.basename(upload.name))
                stored = recording.file.storage.save(stored, upload, max_length=300)
                recording.file.name = stored
            recording.save()
            audit.record(
                action="facility.recording.archived",
                actor=actor,
                obj=recording,
                after={"project_code": recording.project_code, "label": recording.label, "medium": medium},
                sha256=sha256,
                size=size,
            )
    except BaseException:
        if stored:  # nothing half-written: the stored file goes with the rolled-back row
            recording.file.storage.delete(stored)
        raise
    return recording


def recording_refused(*, actor, recording: Recording, attempted: str, reason: str) -> None:
    """四 未经批准，不得外借、删除、更改: every refused attempt is audited."""
    with transaction.atomic():
        audit.record(
            action="facility.recording.refused",
            actor=actor,
            obj=recording,
            outcome=Outcome.FAILURE,
            attempted=attempted,
            reason=reason,
        )


def recording_copy_allowed(*, actor, recording: Recording) -> ViewingRequest:
    """A copy of an archived export is handed out only under an approved viewing request
    that asked for a copy and lent this recording (四); otherwise refused and audited."""
    grant = (
        recording.viewings.filter(state=ViewingState.VIEWED, copy_requested=True)
        .order_by("-viewed_at")
        .first()
        if rules.may_file_viewing(actor)
        else None
    )
    if grant is None or not recording.file:
        reason = _("没有经批准并登记复制的调阅申请，不得复制该录像。")
        recording_refused(actor=actor, recording=recording, attempted="copy", reason=reason)
        raise PermissionDenied(reason)
    with transaction.atomic():
        audit.record(
            action="facility.recording.downloaded",
            actor=actor,
            obj=recording,
            viewing=grant.pk,
            sha256=recording.sha256,
        )
    return grant


@transaction.atomic
def viewing_return(*, request: ViewingRequest, actor) -> ViewingRequest:
    if not rules.may_file_viewing(actor):
        raise PermissionDenied(_("只有监控管理员可以登记归还。"))
    request = ViewingRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != ViewingState.VIEWED:
        raise ValidationError(_("只有已调阅的申请可以登记归还。"))
    request.state, request.returned_at = ViewingState.RETURNED, timezone.now()
    request.save(update_fields=["state", "returned_at"])
    audit.record(action="facility.viewing.returned", actor=actor, obj=request)
    return request


# ------------------------------------------------------------- visitors (二(八)、三(四)(五); 监控 六)


@transaction.atomic
def visit_request(
    *, room: Room, actor, visitor: str, company: str, purpose: str, escort: str, planned_on: dt.date
) -> Visit:
    """The room's keeper registers who wants in, why, and who escorts them."""
    if not rules.may_keep_room(actor, room):
        raise PermissionDenied(_("只有本机房的管理员可以登记进入申请。"))
    _require_filled(
        (_("来访人"), visitor),
        (_("单位"), company),
        (_("事由"), purpose),
        (_("陪同人"), escort),
    )
    if planned_on < timezone.localdate():
        raise ValidationError(_("来访日期不能早于今天。"))
    visit = Visit.objects.create(
        room=room,
        visitor=visitor.strip(),
        company=company.strip(),
        purpose=purpose.strip(),
        escort=escort.strip(),
        planned_on=planned_on,
        requested_by=actor,
    )
    audit.record(
        action="facility.visit.requested",
        actor=actor,
        obj=visit,
        after={"visitor": visit.visitor, "company": visit.company, "planned_on": str(planned_on)},
    )
    return visit


@transaction.atomic
def visit_register_approved_elsewhere(
    *, room: Room, actor, visitor: str, company: str, purpose: str, escort: str, approved_by, source: str
) -> Visit:
    """A visit approved on another road enters this register, so the room's keeper
    still checks the ID and the overshoes at the door (三(五)). 技术服务外包、维护管理制度 九:
    the 信息科负责人 approves a vendor engineer's on-site visit, and the 信息科负责人 is the
    machine room's responsible person (二(八)、五(二)): that approval is the room's. A room
    whose responsible person did not approve (the monitoring room) still awaits its own."""
    approved = approved_by is not None and rules.may_approve_visit(approved_by, room)
    decision = (
        {
            "state": VisitState.APPROVED,
            "decided_by": approved_by,
            "decided_at": timezone.now(),
            "decision_note": source,
        }
        if approved
        else {}
    )
    visit = Visit.objects.create(
        room=room,
        visitor=visitor,
        company=company,
        purpose=purpose,
        escort=escort,
        planned_on=timezone.localdate(),
        requested_by=actor,
        **decision,
    )
    audit.record(
        action="facility.visit.requested",
        actor=actor,
        obj=visit,
        after={
            "visitor": visitor,
            "company": company,
            "planned_on": str(visit.planned_on),
            "state": visit.state,
            "source": source,
        },
    )
    return visit


@transaction.atomic
def visit_decide(*, visit: Visit, actor, approve: bool, note: str = "") -> Visit:
    visit = Visit.objects.select_for_update().select_related("room").get(pk=visit.pk)
    if not rules.may_approve_visit(actor, visit.room):
        raise PermissionDenied(_("只有机房负责人可以批准进入机房。"))
    if visit.state != VisitState.REQUESTED:
        raise ValidationError(_("该申请已处理。"))
    if not approve and not note.strip():
        raise ValidationError(_("不批准时请说明理由。"))
    visit.state = VisitState.APPROVED if approve else VisitState.REFUSED
    visit.decided_by, visit.decided_at, visit.decision_note = actor, timezone.now(), note.strip()
    visit.save()
    audit.record(action="facility.visit.decided", actor=actor, obj=visit, after={"state": visit.state})
    return visit


def visit_enter(*, visit: Visit, actor, id_checked: bool, overshoes: bool) -> Visit:
    """Entry only on an approved request, on its day, with the ID checked and overshoes
    or slippers on (三(五)); an attempt otherwise is refused and audited. An approval
    whose day has passed is expired (kept)."""
    visit = Visit.objects.select_related("room").get(pk=visit.pk)
    if not rules.may_keep_room(actor, visit.room):
        raise PermissionDenied(_("只有本机房的管理员可以登记进入。"))
    today = timezone.localdate()
    problem = ""
    if visit.state == VisitState.APPROVED and visit.planned_on < today:
        with transaction.atomic():
            Visit.objects.filter(pk=visit.pk).update(state=VisitState.EXPIRED)
        problem = _("该批准已过期（来访日期 %(day)s），请重新申请。") % {"day": visit.planned_on.isoformat()}
    elif visit.state != VisitState.APPROVED:
        problem = _("该申请未经批准，不得进入机房。")
    elif visit.planned_on > today:
        problem = _("未到批准的来访日期。")
    elif not id_checked:
        problem = _("请先核验来访人身份证明。")
    elif not overshoes:
        problem = _("进入机房必须更换专用拖鞋或使用鞋套。")
    if problem:
        with transaction.atomic():
            audit.record(
                action="facility.visit.refused_entry",
                actor=actor,
                obj=visit,
                outcome=Outcome.FAILURE,
                reason=problem,
            )
        raise ValidationError(problem)
    with transaction.atomic():
        visit.state, visit.entered_at = VisitState.INSIDE, timezone.now()
        visit.id_checked, visit.overshoes = True, True
        visit.save()
        audit.record(action="facility.visit.entered", actor=actor, obj=visit)
    return visit


@transaction.atomic
def visit_leave(*, visit: Visit, actor) -> Visit:
    visit = Visit.objects.select_for_update().select_related("room").get(pk=visit.pk)
    if not rules.may_keep_room(actor, visit.room):
        raise PermissionDenied(_("只有本机房的管理员可以登记离开。"))
    if visit.state != VisitState.INSIDE:
        raise ValidationError(_("来访人不在机房内。"))
    visit.state, visit.left_at = VisitState.LEFT, timezone.now()
    visit.save(update_fields=["state", "left_at"])
    audit.record(action="facility.visit.left", actor=actor, obj=visit)
    return visit
