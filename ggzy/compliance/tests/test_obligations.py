"""Obligations: generation on the working-day calendar, completion, waivers, reminders."""

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.compliance.choices import OccurrenceState
from ggzy.compliance.models import ClauseSnapshot, Obligation, Occurrence, OccurrenceAttachment
from ggzy.compliance.registry import ObligationSpec, register_obligation
from ggzy.compliance.schedule import due_dates
from ggzy.compliance.selectors import clause_statuses
from ggzy.compliance.services import (
    obligation_ensure,
    occurrence_complete,
    occurrence_waive,
    occurrences_generate,
    overdue_reminders_send,
    snapshot_take,
)

pytestmark = pytest.mark.django_db
CHECKLIST = [
    {"key": "temp", "label": "室内温度", "type": "number", "min": 18, "max": 27},
    {"key": "power", "label": "供电正常", "type": "yes_no", "expected": True},
    {"key": "notes", "label": "备注", "type": "text", "required": False},
]


def spec(**fields):
    values = {
        "key": "test-room-check",
        "title": "机房巡检",
        "clauses": ("jf.1.3.1",),
        "owner_role": RoleKey.MACHINE_ROOM_ADMIN,
        "rrule": "FREQ=WEEKLY;BYDAY=TU,FR",
        "starts_on": dt.date(2025, 1, 1),
        "evidence": "none",
        "checklist": tuple(CHECKLIST),
        **fields,
    }
    return ObligationSpec(**values)


@pytest.fixture
def obligation():
    return obligation_ensure(spec=spec())[0]


@pytest.fixture
def occurrence(obligation):
    return Occurrence.objects.create(obligation=obligation, due_on=dt.date(2026, 3, 10))


@pytest.fixture
def keeper():
    return make_user(RoleKey.MACHINE_ROOM_ADMIN)


def actions():
    return list(AuditEvent.objects.order_by("-seq").values_list("action", "outcome")[:3])


def test_national_day_moves_to_the_previous_or_next_working_day():
    # 2025-10-01..08 is a holiday: a monthly duty on the 1st moves to 30 Sep or 9 Oct.
    window = {"start": dt.date(2025, 9, 20), "end": dt.date(2025, 10, 20)}
    rule = "FREQ=MONTHLY;BYMONTHDAY=1"
    start = dt.date(2025, 1, 1)
    assert list(due_dates(rule=rule, starts_on=start, policy="previous", **window)) == [dt.date(2025, 9, 30)]
    assert list(due_dates(rule=rule, starts_on=start, policy="next", **window)) == [dt.date(2025, 10, 9)]
    assert list(due_dates(rule=rule, starts_on=start, policy="same", **window)) == [dt.date(2025, 10, 1)]


def test_a_malformed_rule_is_a_chinese_error_and_nothing_is_stored():
    with pytest.raises(ValidationError, match="重复规则无效"):
        obligation_ensure(spec=spec(rrule="FREQ=FORTNIGHTLY"))
    with pytest.raises(ValidationError, match="重复规则无效"):
        obligation_ensure(spec=spec(rrule=""))
    assert not Obligation.objects.filter(key="test-room-check").exists()


def test_registering_twice_differently_is_refused():
    register_obligation(**{**spec().__dict__, "key": "test-twice"})
    with pytest.raises(ValueError, match="twice"):
        register_obligation(**{**spec().__dict__, "key": "test-twice", "title": "另一个"})


def test_generation_is_idempotent_over_the_horizon(obligation):
    today = dt.date(2026, 3, 2)  # a Monday
    first = occurrences_generate(today=today, horizon_days=13)
    assert first >= 4  # Tue/Fri twice, plus the seeded obligations
    assert occurrences_generate(today=today, horizon_days=13) == 0
    days = list(obligation.occurrences.values_list("due_on", flat=True))
    assert days == [dt.date(2026, 3, 3), dt.date(2026, 3, 6), dt.date(2026, 3, 10), dt.date(2026, 3, 13)]
    assert AuditEvent.objects.filter(action="compliance.occurrence.generated").exists()


def test_complete_in_range_is_done_and_audited(occurrence, keeper):
    done = occurrence_complete(occurrence=occurrence, actor=keeper, answers={"temp": "22", "power": "是"})
    assert done.state == OccurrenceState.DONE and done.answers == {"temp": 22.0, "power": True}
    assert done.done_by == keeper
    assert actions()[0] == ("compliance.occurrence.completed", "success")


def test_out_of_range_answer_is_done_with_findings(occurrence, keeper):
    done = occurrence_complete(occurrence=occurrence, actor=keeper, answers={"temp": 31, "power": False})
    assert done.state == OccurrenceState.DONE_WITH_FINDINGS
    assert {f["key"] for f in done.findings} == {"temp", "power"}


@pytest.mark.parametrize(
    "answers, message",
    [
        ({"temp": "很热", "power": True}, "应填写数字"),
        ({"temp": 20, "power": "也许"}, "应填写是或否"),
        ({"power": True}, "请填写“室内温度”"),
        ({"temp": 20, "power": True, "humidity": 50}, "没有项目"),
    ],
)
def test_wrong_answers_are_chinese_errors_nothing_stored_attempt_audited(
    occurrence, keeper, answers, message
):
    with pytest.raises(ValidationError, match=message):
        occurrence_complete(occurrence=occurrence, actor=keeper, answers=answers)
    occurrence.refresh_from_db()
    assert occurrence.state == OccurrenceState.DUE and occurrence.answers == {}
    assert actions()[0] == ("compliance.occurrence.rejected", "failure")


def test_only_the_owner_role_or_the_security_admin_completes(occurrence):
    with pytest.raises(PermissionDenied):
        occurrence_complete(occurrence=occurrence, actor=make_user(RoleKey.DRAFTER), answers={})
    done = occurrence_complete(
        occurrence=occurrence, actor=make_user(RoleKey.SECURITY_ADMIN), answers={"temp": 20, "power": True}
    )
    assert done.state == OccurrenceState.DONE
    with pytest.raises(ValidationError, match="已办结"):
        occurrence_complete(occurrence=done, actor=make_user(RoleKey.SECURITY_ADMIN), answers={})


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "JPEG")
    return out.getvalue()


def test_photo_evidence_passes_the_upload_gate_and_is_kept_with_its_sha256(keeper):
    obligation = obligation_ensure(spec=spec(key="test-photo", evidence="photo"))[0]
    occurrence = Occurrence.objects.create(obligation=obligation, due_on=dt.date(2026, 3, 10))
    with pytest.raises(ValidationError, match="需要上传凭证"):
        occurrence_complete(occurrence=occurrence, actor=keeper, answers={"temp": 20, "power": True})
    bad = SimpleUploadedFile("room.jpg", b"MZ not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        occurrence_complete(
            occurrence=occurrence, actor=keeper, answers={"temp": 20, "power": True}, files=[bad]
        )
    assert not OccurrenceAttachment.objects.exists()
    data = _jpeg()
    photo = SimpleUploadedFile("room.jpg", data, content_type="image/jpeg")
    done = occurrence_complete(
        occurrence=occurrence, actor=keeper, answers={"temp": 20, "power": True}, files=[photo]
    )
    attachment = done.attachments.get()
    import hashlib

    assert attachment.sha256 == hashlib.sha256(data).hexdigest() and attachment.content_type == "jpeg"


def test_waiver_needs_a_reason_and_the_security_admin(occurrence, keeper):
    with pytest.raises(PermissionDenied, match="安全管理员"):
        occurrence_waive(occurrence=occurrence, actor=keeper, reason="停电")
    security = make_user(RoleKey.SECURITY_ADMIN)
    with pytest.raises(ValidationError, match="豁免原因"):
        occurrence_waive(occurrence=occurrence, actor=security, reason="  ")
    assert actions()[0] == ("compliance.occurrence.waive_rejected", "failure")
    waived = occurrence_waive(occurrence=occurrence, actor=security, reason="机房搬迁，当周停用")
    assert waived.state == OccurrenceState.WAIVED and waived.waived_by == security


def test_overdue_is_marked_reminded_once_a_day_and_escalated(occurrence, keeper):
    keeper.email = "keeper@example.org"
    keeper.save()
    security = make_user(RoleKey.SECURITY_ADMIN, email="security@example.org")
    sent = overdue_reminders_send(today=dt.date(2026, 3, 11))
    mine = [item for item in sent if item["occurrence"] == occurrence.pk]
    assert mine[0]["recipients"] == ["keeper@example.org"] and not mine[0]["escalated"]
    occurrence.refresh_from_db()
    assert occurrence.state == OccurrenceState.OVERDUE
    assert any("机房巡检" in m.subject for m in mail.outbox)
    again = overdue_reminders_send(today=dt.date(2026, 3, 11))
    assert occurrence.pk not in [item["occurrence"] for item in again]
    later = overdue_reminders_send(today=dt.date(2026, 3, 17))
    escalated = next(item for item in later if item["occurrence"] == occurrence.pk)
    assert escalated["escalated"] and security.email in escalated["recipients"]


def test_remind_command_dry_run_changes_nothing(occurrence):
    out = io.StringIO()
    with time_machine.travel(dt.datetime(2026, 3, 12, 9, tzinfo=dt.UTC), tick=False):
        call_command("compliance_remind", "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert any(json.loads(line)["obligation"] == "test-room-check" for line in lines[:-1])
    occurrence.refresh_from_db()
    assert occurrence.state == OccurrenceState.DUE and occurrence.reminded_on is None


def test_remind_command_generates_and_marks(occurrence):
    with time_machine.travel(dt.datetime(2026, 3, 12, 9, tzinfo=dt.UTC), tick=False):
        call_command("compliance_remind", stdout=io.StringIO())
    occurrence.refresh_from_db()
    assert occurrence.state == OccurrenceState.OVERDUE


def test_an_evidenced_clause_follows_its_obligation(keeper):
    security = make_user(RoleKey.SECURITY_ADMIN)
    drill = Obligation.objects.get(key="yjya-drill")
    occurrence = Occurrence.objects.create(obligation=drill, due_on=dt.date(2026, 11, 30))

    def yjya16(today):
        return next(row for row in clause_statuses(today=today, regulation="yjya") if row.key == "yjya.16")

    assert yjya16(dt.date(2026, 11, 10)).status == "due_soon"
    assert yjya16(dt.date(2026, 12, 1)).status == "overdue"
    report = SimpleUploadedFile("drill.jpg", _jpeg(), content_type="image/jpeg")
    occurrence_complete(
        occurrence=occurrence, actor=security, answers={"problems": 2, "plan_updated": True}, files=[report]
    )
    assert yjya16(dt.date(2026, 12, 1)).status == "met"


def test_snapshot_keeps_one_row_per_clause_per_day():
    day = dt.date(2026, 3, 10)
    count = snapshot_take(today=day)
    assert count == ClauseSnapshot.objects.filter(day=day).count() > 280
    assert snapshot_take(today=day) == count
    assert ClauseSnapshot.objects.filter(day=day).count() == count


def test_a_checklist_item_takes_an_optional_photo(client, keeper):
    """网络机房管理制度 四: each item may carry the photo that shows it."""
    from ggzy.accounts.tests.factories import login_as

    room_admin = make_user(RoleKey.MACHINE_ROOM_ADMIN)
    obligation = Obligation.objects.get(key="jf-quarterly-maintenance")
    occurrence = Occurrence.objects.get_or_create(obligation=obligation, due_on=dt.date(2026, 12, 31))[0]
    answers = {
        f"answer-{item['key']}": (
            "yes" if item["type"] == "yes_no" else "30" if item["type"] == "number" else "无"
        )
        for item in obligation.checklist
    }
    first = obligation.checklist[0]["key"]
    login_as(client, room_admin)
    refused = client.post(
        f"/admin/compliance/occurrences/{occurrence.pk}/",
        {
            **answers,
            f"photo-{first}": SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg"),
        },
    )
    assert refused.status_code == 200 and not occurrence.attachments.exists()
    photo = SimpleUploadedFile("除尘.jpg", _jpeg(), content_type="image/jpeg")
    done = client.post(
        f"/admin/compliance/occurrences/{occurrence.pk}/", {**answers, f"photo-{first}": photo}
    )
    assert done.status_code == 302
    attachment = occurrence.attachments.get()
    assert attachment.item_key == first and len(attachment.sha256) == 64
    event = AuditEvent.objects.filter(action="compliance.occurrence.completed").get()
    assert event.extra["item_photos"] == {first: attachment.sha256}
    with pytest.raises(ValidationError, match="没有这些检查项"):
        occurrence_complete(
            occurrence=Occurrence.objects.get_or_create(obligation=obligation, due_on=dt.date(2027, 3, 31))[
                0
            ],
            actor=room_admin,
            answers={},
            item_photos={"nope": SimpleUploadedFile("a.jpg", _jpeg())},
        )


def test_a_retired_obligation_is_deactivated_by_the_next_load():
    """网络安全管理办法 五(三): the weekly log review is devicelogs-review; the generic
    wlaq-log-review an older installation stored is retired, its history kept."""
    from ggzy.compliance.registry import all_obligations, retired_obligations
    from ggzy.compliance.services import obligations_load

    assert "wlaq-log-review" in retired_obligations() and "wlaq-log-review" not in all_obligations()
    assert "devicelogs-review" in all_obligations()
    old, _ = obligation_ensure(spec=spec(key="wlaq-log-review", clauses=("wlaq.5.3",)))
    with time_machine.travel(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC), tick=False):
        occurrences_generate(today=dt.date(2026, 11, 1), horizon_days=14)
    history = Occurrence.objects.filter(obligation=old).count()
    assert history
    obligations_load()
    old.refresh_from_db()
    assert not old.active and Occurrence.objects.filter(obligation=old).count() == history
    deactivated = AuditEvent.objects.filter(action="compliance.obligation.deactivated", object_id=str(old.pk))
    assert deactivated.exists()
    assert Obligation.objects.get(key="devicelogs-review").active
    assert obligations_load() == 0  # idempotent
