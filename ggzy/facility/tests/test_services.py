"""The duty log (网络机房管理制度 一(三)、一(六)), handover, and viewing requests of
monitoring recordings (监控管理制度 四), through the services and the real DB."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.compliance.choices import Status
from ggzy.facility import checks, services
from ggzy.facility.choices import ReadingSource, ViewingState
from ggzy.facility.models import DutyLog

from .factories import DUTY, keeper, machine_room, sensors

pytestmark = pytest.mark.django_db


def test_a_room_without_sensors_takes_a_typed_log(center):
    admin = keeper()
    room = machine_room(admin)
    assert services.duty_log_prefill(room=room, day=timezone.localdate()) == {}
    log = services.duty_log_save(
        room=room,
        day=timezone.localdate(),
        actor=admin,
        temperature=Decimal("22.0"),
        humidity=Decimal("40"),
        **DUTY,
    )
    assert log.readings_source == ReadingSource.MANUAL
    assert AuditEvent.objects.filter(action="facility.duty_log.saved", object_id=str(log.pk)).exists()


def test_a_room_with_sensors_prefills_and_marks_the_log_as_from_the_sensors(center, agent):
    admin = keeper()
    room = machine_room(admin)
    sensors(room, agent, admin)
    services.poll_sensors()
    prefill = services.duty_log_prefill(room=room, day=timezone.localdate())
    assert prefill == {"temperature": Decimal("23.5"), "humidity": Decimal("45.1"), "power_normal": True}
    log = services.duty_log_save(room=room, day=timezone.localdate(), actor=admin, **{**DUTY, **prefill})
    assert log.readings_source == ReadingSource.SENSORS


def test_an_incomplete_log_is_refused_with_every_reason_nothing_stored_and_audited(center):
    admin = keeper()
    room = machine_room(admin)
    with pytest.raises(ValidationError) as refused:
        services.duty_log_save(
            room=room,
            day=timezone.localdate(),
            actor=admin,
            **{**DUTY, "weather": " ", "power_normal": False, "locks_checked": False},
            temperature=None,
            humidity=None,
        )
    text = " ".join(refused.value.messages)
    for part in ("天气状况", "中断时间", "温度和湿度", "灯光、门、窗、锁"):
        assert part in text
    assert not DutyLog.objects.exists()
    assert AuditEvent.objects.filter(action="facility.duty_log.rejected", outcome="failure").exists()


def test_only_the_rooms_keeper_writes_and_the_next_person_signs(center):
    admin, next_admin = keeper(), keeper()
    room = machine_room(admin)
    with pytest.raises(PermissionDenied):
        services.duty_log_save(
            room=room,
            day=timezone.localdate(),
            actor=make_user(RoleKey.MONITORING_ADMIN),
            temperature=20,
            humidity=40,
            **DUTY,
        )
    log = services.duty_log_save(
        room=room, day=timezone.localdate(), actor=admin, temperature=20, humidity=40, **DUTY
    )
    with pytest.raises(ValidationError, match="接班人"):
        services.duty_log_sign(log=log, actor=admin)
    services.duty_log_sign(log=log, actor=next_admin)
    log.refresh_from_db()
    assert log.signed_by == next_admin and log.signed_at
    with pytest.raises(ValidationError, match="已交班签收"):
        services.duty_log_save(room=room, day=log.day, actor=admin, temperature=21, humidity=40, **DUTY)


def test_the_duty_log_check_is_overdue_due_and_met(center):
    assert checks.duty_logs_kept(today=dt.date(2026, 12, 3)).status == Status.NO_DATA
    admin = keeper()
    room = machine_room(admin)
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, tzinfo=dt.UTC)):
        today = timezone.localdate()
        assert checks.duty_logs_kept(today=today).status == Status.OVERDUE
        services.duty_log_save(
            room=room, day=today - dt.timedelta(days=1), actor=admin, temperature=20, humidity=40, **DUTY
        )
        assert checks.duty_logs_kept(today=today).status == Status.DUE_SOON
        services.duty_log_save(room=room, day=today, actor=admin, temperature=20, humidity=40, **DUTY)
        assert checks.duty_logs_kept(today=today).status == Status.MET


def test_a_recording_is_viewed_only_after_the_supervision_head_approves(center):
    watcher = make_user(RoleKey.MONITORING_ADMIN)
    head = make_user(RoleKey.DEPARTMENT_HEAD, department="jiandu")
    other_head = make_user(RoleKey.DEPARTMENT_HEAD, department="jianshe")
    request = services.viewing_request_file(
        actor=watcher,
        department="市纪委监委",
        person="李四",
        purpose="核查开标过程",
        project_code="JZJS-2026-018",
        session_date=dt.date(2026, 11, 20),
        copy_requested=True,
    )
    # Viewing before approval is impossible and the attempt is audited (四).
    with pytest.raises(ValidationError, match="未经批准"):
        services.viewing_record(request=request, actor=watcher, record="调阅")
    assert AuditEvent.objects.filter(action="facility.viewing.rejected", outcome="failure").count() == 1
    with pytest.raises(PermissionDenied):
        services.viewing_request_decide(request=request, actor=other_head, approve=True)
    assert AuditEvent.objects.filter(action="facility.viewing.rejected").count() == 2
    services.viewing_request_decide(request=request, actor=head, approve=True, note="同意")
    services.viewing_record(request=request, actor=watcher, record="复制光盘一张，编号 GP-18")
    services.viewing_return(request=request, actor=watcher)
    request.refresh_from_db()
    assert request.state == ViewingState.RETURNED and request.decided_by == head
    assert checks.viewings_approved(today=timezone.localdate()).status == Status.MET
