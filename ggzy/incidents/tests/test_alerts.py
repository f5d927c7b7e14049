"""The alert interface the monitors raise into (应急预案 第八条; 网络机房管理制度 一(四))."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.incidents.alerts import raise_alert, resolve_alert
from ggzy.incidents.choices import AlertStatus, ContactGroup, IncidentType, Severity
from ggzy.incidents.models import Alert, Contact

pytestmark = pytest.mark.django_db


def _raise(**kw):
    args = {
        "source": "sitebuild",
        "key": "tamper:/srv/site",
        "title": "网页被篡改",
        "incident_type": IncidentType.ATTACK,
        "detail": "modified: index.html",
    }
    args.update(kw)
    return raise_alert(**args)


def test_same_cause_is_grouped_not_duplicated():
    first = _raise(detail="modified: index.html", links=[("检查记录", "/admin/a/")])
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=5)):
        again = _raise(
            detail="modified: about.html", links=[("检查记录", "/admin/a/"), ("第二次", "/admin/b/")]
        )
    assert again.pk == first.pk
    assert Alert.objects.count() == 1
    again.refresh_from_db()
    assert again.count == 2
    assert again.last_seen > again.first_seen
    assert "index.html" in again.detail and "about.html" in again.detail
    assert again.links == [["检查记录", "/admin/a/"], ["第二次", "/admin/b/"]]
    events = AuditEvent.objects.filter(object_type="incidents.alert").order_by("seq")
    actions = list(events.values_list("action", flat=True))
    assert actions == ["incidents.alert.raised", "incidents.alert.repeated"]


def test_other_key_or_source_is_another_alert():
    a = _raise()
    b = _raise(key="tamper:/srv/other")
    c = _raise(source="facility")
    assert len({a.pk, b.pk, c.pk}) == 3


def test_severity_only_goes_up_when_grouped():
    alert = _raise(severity=Severity.MAJOR)
    alert = _raise(severity=Severity.GENERAL)
    assert alert.severity == Severity.MAJOR
    alert = _raise(severity=Severity.CRITICAL)
    assert alert.severity == Severity.CRITICAL


def test_resolve_marks_the_open_alert_recovered_and_a_new_raise_opens_a_new_one():
    first = _raise()
    resolved = resolve_alert(source="sitebuild", key="tamper:/srv/site", detail="复查完好")
    assert resolved.pk == first.pk
    assert resolved.status == AlertStatus.RECOVERED
    assert resolved.recovered_at is not None
    assert "复查完好" in resolved.detail
    assert AuditEvent.objects.filter(action="incidents.alert.recovered", object_id=str(first.pk)).exists()
    assert resolve_alert(source="sitebuild", key="tamper:/srv/site") is None
    second = _raise()
    assert second.pk != first.pk and second.count == 1


def test_occurred_at_is_kept():
    when = datetime(2026, 3, 2, 1, 2, 3, tzinfo=UTC)
    alert = _raise(occurred_at=when)
    assert alert.first_seen == when == alert.last_seen


@pytest.mark.parametrize(
    "kw",
    [
        {"source": ""},
        {"source": "a b"},
        {"key": ""},
        {"key": "x" * 201},
        {"title": " "},
        {"incident_type": "flood"},
        {"severity": "huge"},
    ],
)
def test_bad_arguments_are_refused_and_nothing_is_written(kw):
    with pytest.raises(ValueError):
        _raise(**kw)
    assert not Alert.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="incidents.").exists()


def test_a_new_alert_is_mailed_after_commit_to_security_admins_and_on_duty_contacts(
    django_capture_on_commit_callbacks,
):
    make_user(RoleKey.SECURITY_ADMIN, email="sec@example.org")
    make_user(RoleKey.SECURITY_ADMIN, email="")
    make_user(RoleKey.WEBSITE_ADMIN, email="web@example.org")
    make_user(RoleKey.SECURITY_ADMIN, email="gone@example.org", is_active=False)
    Contact.objects.create(
        name="值班甲", group=ContactGroup.DUTY, phone="1", email="duty@example.org", on_duty=True
    )
    Contact.objects.create(name="值班乙", group=ContactGroup.DUTY, phone="2", email="off@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        alert = _raise()
    with django_capture_on_commit_callbacks(execute=True):
        _raise()  # grouped: no second mail
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["duty@example.org", "sec@example.org"]
    assert "网页被篡改" in message.subject
    assert f"/admin/incidents/alerts/{alert.pk}/" in message.body
    alert.refresh_from_db()
    assert alert.notified_to == ["duty@example.org", "sec@example.org"]
    event = AuditEvent.objects.get(action="incidents.alert.notified")
    assert event.outcome == "success"
    assert event.extra["recipients"] == ["duty@example.org", "sec@example.org"]


def test_an_alert_rolled_back_with_its_cause_is_not_mailed(django_capture_on_commit_callbacks):
    from django.db import transaction

    make_user(RoleKey.SECURITY_ADMIN, email="sec@example.org")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _raise()
        raise RuntimeError("the caller failed")
    assert not Alert.objects.exists()
    assert mail.outbox == []


def test_no_recipient_is_an_audited_failure(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _raise()
    assert mail.outbox == []
    assert AuditEvent.objects.get(action="incidents.alert.notified").outcome == "failure"
