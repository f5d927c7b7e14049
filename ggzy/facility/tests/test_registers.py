"""The facility registers (网络机房管理制度 二(二)(九)、五; 监控管理制度 三) and the
recording archive (监控 三、四): kept by the room's keeper, validated, audited; their
live checks; the roster deciding who signs the handover."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.compliance.choices import Status
from ggzy.facility import checks, selectors, services
from ggzy.facility.choices import RoomKind
from ggzy.facility.models import KeyHandover, Reading, Recording, Sensor
from ggzy.facility.registers import FACILITY_REGISTERS as REGS

from .factories import DUTY, keeper, machine_room

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)  # a Monday
# A minimal ISO BMFF (MP4) file: an ftyp box, then media data.
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 4096


def save(key, data, actor, instance=None):
    return REGS.save(register=REGS[key], instance=instance, data=data, actor=actor)


@pytest.fixture
def room_keeper():
    return keeper(username="jifang")


@pytest.fixture
def room(room_keeper):
    return machine_room(room_keeper)


def test_rooms_take_the_class_defaults_and_refuse_inverted_thresholds(room_keeper):
    monitor = make_user(RoleKey.MONITORING_ADMIN)
    data = {"name": "二号机房", "kind": RoomKind.MACHINE_ROOM, "room_class": "C"}
    with pytest.raises(PermissionDenied):  # 监控管理员 keeps the monitoring room only
        save("rooms", data, monitor)
    room = save("rooms", data, room_keeper)
    assert (room.temp_min, room.temp_max, room.humidity_min, room.humidity_max) == (18, 27, 8, 80)
    with pytest.raises(ValidationError) as refused:
        save("rooms", {**data, "temp_min": "28", "temp_max": "27"}, room_keeper, instance=room)
    assert "temp_max" in refused.value.message_dict
    room.refresh_from_db()
    assert room.temp_min == 18
    saved = AuditEvent.objects.get(action="facility.register.saved")
    assert saved.extra["register"] == "rooms" and saved.actor == room_keeper


def test_a_key_changes_hands_only_by_a_recorded_handover(room, room_keeper):
    other = make_user(RoleKey.MACHINE_ROOM_ADMIN, username="jieban")
    key = save(
        "keys",
        {"room": room.pk, "label": "主机房门", "copies": 2, "holder": room_keeper.pk, "since": "2026-01-01"},
        room_keeper,
    )
    handover = {"key": key.pk, "to_holder": other.pk, "handed_on": "2026-06-01", "reason": "轮岗"}
    with pytest.raises(ValidationError) as early:
        save("key_handovers", {**handover, "handed_on": "2025-12-31"}, room_keeper)
    assert "handed_on" in early.value.message_dict
    moved = save("key_handovers", handover, room_keeper)
    key.refresh_from_db()
    assert key.holder == other and key.since == dt.date(2026, 6, 1)
    assert moved.from_holder == room_keeper and moved.to_holder == other
    with pytest.raises(PermissionDenied):  # history is never rewritten
        save("key_handovers", handover, room_keeper, instance=moved)
    with pytest.raises(ValidationError) as same:
        save("key_handovers", {**handover, "handed_on": "2026-06-02"}, room_keeper)
    assert "to_holder" in same.value.message_dict
    # 丢失要声明: a lost key needs its statement, and is never handed over.
    with pytest.raises(ValidationError) as undeclared:
        save(
            "keys",
            {
                "room": room.pk,
                "label": "主机房门",
                "copies": 2,
                "holder": other.pk,
                "since": "2026-06-01",
                "lost": "on",
            },
            room_keeper,
            instance=key,
        )
    assert "lost_statement" in undeclared.value.message_dict
    save(
        "keys",
        {
            "room": room.pk,
            "label": "主机房门",
            "copies": 2,
            "holder": other.pk,
            "since": "2026-06-01",
            "lost": "on",
            "lost_declared_on": "2026-06-10",
            "lost_statement": "6 月 9 日遗失，已更换门锁",
        },
        room_keeper,
        instance=key,
    )
    with pytest.raises(ValidationError):
        save(
            "key_handovers", {**handover, "to_holder": room_keeper.pk, "handed_on": "2026-06-11"}, room_keeper
        )
    assert KeyHandover.objects.count() == 1


def test_the_keys_check_fails_for_a_departed_holder(room, room_keeper):
    assert checks.keys_held(today=TODAY).status == Status.FAILING  # no key registered
    holder = make_user(RoleKey.MACHINE_ROOM_ADMIN, username="likai")
    save(
        "keys",
        {"room": room.pk, "label": "主机房门", "copies": 1, "holder": holder.pk, "since": "2026-01-01"},
        room_keeper,
    )
    assert checks.keys_held(today=TODAY).status == Status.MET
    holder.is_active = False
    holder.save()
    result = checks.keys_held(today=TODAY)
    assert result.status == Status.FAILING and "likai" in result.detail


def test_extinguishers_check(room, room_keeper):
    assert checks.extinguishers_in_date(today=TODAY).status == Status.FAILING
    ext = save(
        "extinguishers",
        {
            "room": room.pk,
            "location": "门口",
            "kind": "co2",
            "capacity": "4kg",
            "produced_on": "2021-07-01",
            "replace_by": "2026-07-01",
            "active": "on",
        },
        room_keeper,
    )
    assert checks.extinguishers_in_date(today=TODAY).status == Status.DUE_SOON
    assert checks.extinguishers_in_date(today=dt.date(2026, 7, 2)).status == Status.FAILING
    with pytest.raises(ValidationError):
        save(
            "extinguishers",
            {
                "room": room.pk,
                "location": "门口",
                "kind": "co2",
                "capacity": "4kg",
                "produced_on": "2026-08-01",
                "replace_by": "2026-07-01",
                "active": "on",
            },
            room_keeper,
            instance=ext,
        )
    save(
        "extinguishers",
        {
            "room": room.pk,
            "location": "门口",
            "kind": "co2",
            "capacity": "4kg",
            "replace_by": "2031-07-01",
            "active": "on",
        },
        room_keeper,
        instance=ext,
    )
    assert checks.extinguishers_in_date(today=TODAY).status == Status.MET


def test_confidential_machines_need_their_measures(room, room_keeper):
    network = make_user(RoleKey.NETWORK_ADMIN)
    data = {
        "name": "涉密终端",
        "room": room.pk,
        "data_processed": "评标专家名单",
        "protection": "专机专用",
        "authentication": "",
        "encrypted_channel": "VPN",
        "responsible": room_keeper.pk,
        "active": "on",
    }
    with pytest.raises(PermissionDenied):
        save("confidential", data, network)
    with pytest.raises(ValidationError) as refused:
        save("confidential", data, room_keeper)
    assert "authentication" in refused.value.message_dict
    save("confidential", {**data, "authentication": "UKey 加口令"}, make_user(RoleKey.SECURITY_ADMIN))


def test_the_monitoring_log_check_follows_working_days(room_keeper):
    monitor = make_user(RoleKey.MONITORING_ADMIN)
    services.room_create(name="监控室", kind=RoomKind.MONITORING_ROOM, actor=monitor)
    # Monday: the last working day is Friday 12 June.
    result = checks.monitoring_logs_kept(today=TODAY)
    assert result.status == Status.OVERDUE and "2026-06-12" in result.detail
    log = {"day": "2026-06-12", "monitored": "开标、评标全程", "sessions": "JZ-2026-101 开标"}
    with pytest.raises(PermissionDenied):
        save("monitoring", log, room_keeper)
    entry = save("monitoring", log, monitor)
    assert entry.author == monitor
    assert checks.monitoring_logs_kept(today=TODAY).status == Status.DUE_SOON
    save("monitoring", {**log, "day": "2026-06-15"}, monitor)
    assert checks.monitoring_logs_kept(today=TODAY).status == Status.MET


def test_only_the_rostered_person_signs_the_handover(room, room_keeper):
    today = timezone.localdate()
    log = services.duty_log_save(
        room=room, day=today - dt.timedelta(days=1), actor=room_keeper, temperature=22, humidity=45, **DUTY
    )
    colleague = make_user(RoleKey.MACHINE_ROOM_ADMIN, username="tongshi")
    rostered = make_user(RoleKey.MACHINE_ROOM_ADMIN, username="zhiban")
    with pytest.raises(ValidationError) as wrong_role:
        save(
            "roster",
            {
                "room": room.pk,
                "person": make_user(RoleKey.MONITORING_ADMIN).pk,
                "starts_on": today.isoformat(),
                "ends_on": today.isoformat(),
            },
            room_keeper,
        )
    assert "person" in wrong_role.value.message_dict
    save(
        "roster",
        {
            "room": room.pk,
            "person": rostered.pk,
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=6)).isoformat(),
        },
        room_keeper,
    )
    with pytest.raises(ValidationError, match="今日值班人（zhiban）"):
        services.duty_log_sign(log=log, actor=colleague)
    services.duty_log_sign(log=log, actor=rostered)
    overview = selectors.rooms_overview()
    assert overview[0]["on_duty"] == [rostered]


def test_the_overview_reads_the_latest_readings_in_fixed_queries(room, room_keeper):
    now = timezone.now()
    for n in range(6):
        sensor = Sensor.objects.create(room=room, name=f"温湿度-{n}", kind="environment", host="127.0.0.1")
        Reading.objects.bulk_create(
            Reading(sensor=sensor, taken_at=now - dt.timedelta(minutes=m), temperature=20 + n + m)
            for m in range(3)
        )
    with CaptureQueriesContext(connection) as few:
        overview = selectors.rooms_overview()
    latest = {s.name: r.temperature for s, r in overview[0]["latest"]}
    assert latest == {f"温湿度-{n}": 20 + n for n in range(6)}
    Sensor.objects.create(room=room, name="UPS-9", kind="ups", host="127.0.0.1")
    with CaptureQueriesContext(connection) as more:
        selectors.rooms_overview()
    assert len(more) == len(few) <= 6


# --------------------------------------------------------------------------- recordings


@pytest.fixture
def monitor():
    return make_user(RoleKey.MONITORING_ADMIN, username="jiankong")


def archive(monitor, **extra):
    values = {
        "project_code": "JZ-2026-101",
        "session_date": TODAY,
        "room": "第一开标室",
        "medium": "export",
        "label": "JZ-2026-101 开标",
        "storage_location": "服务器 /archive",
        "retain_until": TODAY + dt.timedelta(days=3650),
        **extra,
    }
    return services.recording_archive(actor=monitor, **values)


def test_a_recording_is_archived_with_its_hash_and_never_deleted(monitor, settings):
    with pytest.raises(ValidationError) as not_video:
        archive(monitor, upload=SimpleUploadedFile("开标.mp4", b"%PDF-1.7 not a video"))
    assert "upload" in not_video.value.message_dict
    with pytest.raises(ValidationError):
        archive(monitor, retain_until=TODAY)
    assert not Recording.objects.exists() and not (settings.MEDIA_ROOT / "recordings").exists()
    with pytest.raises(PermissionDenied):
        archive(make_user(RoleKey.MACHINE_ROOM_ADMIN))

    import hashlib

    recording = archive(monitor, upload=SimpleUploadedFile("开标.mp4", MP4))
    assert recording.sha256 == hashlib.sha256(MP4).hexdigest() and recording.size == len(MP4)
    assert recording.file.read() == MP4
    event = AuditEvent.objects.get(action="facility.recording.archived")
    assert event.extra["sha256"] == recording.sha256
    with pytest.raises(ValidationError):
        recording.delete()
    assert Recording.objects.filter(pk=recording.pk).exists()


def test_lending_and_copying_need_an_approved_viewing(client, monitor):
    supervision = make_user(RoleKey.DEPARTMENT_HEAD, department="jiandu")
    ours = archive(monitor, upload=SimpleUploadedFile("开标.mp4", MP4))
    other = archive(monitor, project_code="JZ-2026-999", label="别的项目")
    request = services.viewing_request_file(
        actor=monitor,
        department="市纪委",
        person="张三",
        purpose="核查",
        project_code="JZ-2026-101",
        session_date=TODAY,
        copy_requested=True,
    )
    login_as(client, monitor)
    refused = client.get(f"/admin/facility/recordings/{ours.pk}/file/")
    assert refused.status_code == 302
    assert AuditEvent.objects.filter(action="facility.recording.refused", extra__attempted="copy").exists()
    with pytest.raises(ValidationError, match="未经批准"):
        services.viewing_record(request=request, actor=monitor, record="调阅", recordings=[ours])
    services.viewing_request_decide(request=request, actor=supervision, approve=True)
    with pytest.raises(ValidationError, match="不属于批准调阅的项目"):
        services.viewing_record(request=request, actor=monitor, record="调阅", recordings=[ours, other])
    assert AuditEvent.objects.filter(action="facility.viewing.rejected", extra__attempted="lend").exists()
    response = client.post(
        f"/admin/facility/viewings/{request.pk}/record/",
        {"record": "现场调阅并复制一份", "recordings": [ours.pk]},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert list(request.recordings.all()) == [ours]
    assert "已借出" in client.get("/admin/facility/recordings/").content.decode()
    copy = client.get(f"/admin/facility/recordings/{ours.pk}/file/")
    assert copy.status_code == 200 and b"".join(copy.streaming_content) == MP4
    assert AuditEvent.objects.filter(action="facility.recording.downloaded").count() == 1
    services.viewing_return(request=request, actor=monitor)
    assert (
        client.get(f"/admin/facility/recordings/{ours.pk}/file/").status_code == 302
    )  # returned: no more copies


def test_a_major_task_gets_its_maintenance_duty_the_day_before(room, room_keeper):
    from ggzy.compliance.models import Occurrence
    from ggzy.compliance.services import occurrence_complete
    from ggzy.facility.models import MajorTask

    today = timezone.localdate()
    with pytest.raises(ValidationError) as past:
        save("pre_tasks", {"room": room.pk, "title": "集中开标", "starts_on": today.isoformat()}, room_keeper)
    assert "starts_on" in past.value.message_dict
    starts = today + dt.timedelta(days=10)
    task = save(
        "pre_tasks",
        {"room": room.pk, "title": "集中开标", "starts_on": starts.isoformat(), "note": "加装临时交换机"},
        room_keeper,
    )
    task.refresh_from_db()
    occurrence = Occurrence.objects.get(obligation__key=task.obligation_key)
    assert occurrence.due_on < starts and occurrence.obligation.owner_role == RoleKey.MACHINE_ROOM_ADMIN
    assert set(occurrence.obligation.clauses.values_list("key", flat=True)) == {
        "jf.4.t.1",
        "jf.4.t.2",
        "jf.4.t.3",
        "jf.4.t.4",
    }
    with pytest.raises(ValidationError):  # the date is fixed once registered
        save(
            "pre_tasks",
            {"room": room.pk, "title": "集中开标", "starts_on": (starts + dt.timedelta(days=1)).isoformat()},
            room_keeper,
            instance=task,
        )
    assert checks.pre_task_maintenance(today=today).status == Status.DUE_SOON
    assert checks.pre_task_maintenance(today=starts).status == Status.OVERDUE
    occurrence_complete(
        occurrence=occurrence,
        actor=room_keeper,
        answers={"quarterly": True, "devices": True, "temporary": "临时交换机已安装调试"},
    )
    assert checks.pre_task_maintenance(today=starts).status == Status.MET
    assert MajorTask.objects.count() == 1


def test_repairs_are_dated_from_the_commissioning_date(room_keeper):
    from ggzy.compliance.models import Obligation, Occurrence
    from ggzy.compliance.services import occurrence_complete, occurrences_generate

    undated = services.room_create(name="旧机房", kind=RoomKind.MACHINE_ROOM, actor=room_keeper)
    assert checks.room_repairs(today=TODAY).status == Status.FAILING
    save(
        "rooms",
        {"name": "旧机房", "kind": RoomKind.MACHINE_ROOM, "room_class": "C", "commissioned_on": "2020-05-01"},
        room_keeper,
        instance=undated,
    )
    mid = Obligation.objects.get(key=f"jf-mid-repair-room-{undated.pk}")
    overhaul = Obligation.objects.get(key=f"jf-overhaul-room-{undated.pk}")
    assert (mid.starts_on, overhaul.starts_on) == (dt.date(2022, 5, 1), dt.date(2025, 5, 1))
    occurrences_generate(today=dt.date(2026, 1, 1), horizon_days=400)
    due = Occurrence.objects.get(obligation=mid)
    assert due.due_on <= dt.date(2026, 5, 1) and not Occurrence.objects.filter(obligation=overhaul).exists()
    assert checks.room_repairs(today=dt.date(2026, 4, 1)).status == Status.DUE_SOON
    assert checks.room_repairs(today=dt.date(2026, 5, 2)).status == Status.OVERDUE
    import io

    import pypdf

    writer, buffer = pypdf.PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    report = SimpleUploadedFile("中修报告.pdf", buffer.getvalue())
    occurrence_complete(
        occurrence=due, actor=room_keeper, answers={"scope": "更换空调压缩机"}, files=[report]
    )
    assert checks.room_repairs(today=dt.date(2026, 5, 2)).status == Status.MET


def test_the_archive_screen_hashes_the_upload_as_it_arrives_and_keeps_csrf(monitor):
    import hashlib

    from django.test import Client

    video = SimpleUploadedFile("开标.mp4", MP4 * 64, content_type="video/mp4")
    form = {
        "project_code": "JZ-2026-102",
        "session_date": TODAY.isoformat(),
        "room": "第二开标室",
        "medium": "export",
        "label": "JZ-2026-102 开标",
        "storage_location": "服务器",
        "retain_until": (TODAY + dt.timedelta(days=3650)).isoformat(),
    }
    strict = Client(enforce_csrf_checks=True)
    login_as(strict, monitor)
    assert strict.post("/admin/facility/recordings/new/", {**form, "upload": video}).status_code == 403
    assert not Recording.objects.exists()
    relaxed = Client()
    login_as(relaxed, monitor)
    video.seek(0)
    assert relaxed.post("/admin/facility/recordings/new/", {**form, "upload": video}).status_code == 302
    recording = Recording.objects.get()
    assert recording.sha256 == hashlib.sha256(MP4 * 64).hexdigest() and recording.size == len(MP4) * 64


def test_the_hashing_handler_hashes_chunk_by_chunk_into_a_temporary_file():
    import hashlib

    from django.core.files.uploadedfile import TemporaryUploadedFile

    from ggzy.facility.uploads import HashingUploadHandler

    handler = HashingUploadHandler()
    handler.new_file("upload", "开标.mp4", "video/mp4", None)
    chunks = [MP4[:100], MP4[100:], b"\x01" * 1000]
    offset = 0
    for chunk in chunks:
        handler.receive_data_chunk(chunk, offset)
        offset += len(chunk)
    upload = handler.file_complete(offset)
    assert isinstance(upload, TemporaryUploadedFile)  # on disk, never in memory
    assert upload.sha256 == hashlib.sha256(b"".join(chunks)).hexdigest() and upload.hashed_size == offset
    assert services._hash_upload(upload) == (upload.sha256, offset)
