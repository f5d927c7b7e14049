"""Incidents: the 5-minute clock (第八条), notifications and escalation, playbooks
(第三–七条) and their actions, evidence, the 第九条 report and closing."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image
from pypdf import PdfReader

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.incidents import services
from ggzy.incidents.checks import report_clock
from ggzy.incidents.choices import IncidentStatus, IncidentType, ReportChannel, Severity
from ggzy.incidents.models import Incident, Notification

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Beijing, a Monday


def _open(actor, **kw):
    args = {"title": "网页被篡改", "incident_type": IncidentType.ATTACK, "detected_at": T0}
    args.update(kw)
    return services.incident_open(actor=actor, **args)


@pytest.fixture
def responder():
    return make_user(RoleKey.SECURITY_ADMIN, email="sec@example.org")


def test_each_type_opens_with_its_articles_steps(responder):
    with time_machine.travel(T0, tick=False):
        for kind, first_clause in [
            (IncidentType.NETWORK, "yjya.3.1"),
            (IncidentType.MALWARE, "yjya.4.1"),
            (IncidentType.SOFTWARE, "yjya.5.1"),
            (IncidentType.ATTACK, "yjya.6.1"),
            (IncidentType.HARDWARE, "yjya.7.1"),
        ]:
            incident = _open(responder, incident_type=kind)
            steps = list(incident.steps.all())
            assert steps[0].clause == first_clause
            assert [s.order for s in steps] == list(range(1, len(steps) + 1))
    attack = Incident.objects.filter(incident_type=IncidentType.ATTACK).get()
    texts = [s.text for s in attack.steps.all()]
    assert "封锁或删除被攻破的登录账号" in texts[1]
    assert attack.steps.get(clause="yjya.6.2").action_keys == [
        "accounts.lock_user",
        "notices.revoke_api_token",
    ]


def test_report_within_five_minutes_is_on_time(responder):
    with time_machine.travel(T0 + timedelta(minutes=4, seconds=59), tick=False):
        incident = _open(responder)
        report = services.incident_report_record(
            incident=incident, actor=responder, channel=ReportChannel.PHONE, recipients="王组长"
        )
    incident.refresh_from_db()
    assert report.within_clock and not incident.report_late
    assert incident.first_reported_at == T0 + timedelta(minutes=4, seconds=59)
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        assert report_clock(today=date(2026, 3, 2)).status == "met"


def test_the_clock_goes_late_without_a_report_and_the_check_fails(responder):
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        incident = _open(responder)
        assert services.incidents_mark_late() == []
    with time_machine.travel(T0 + timedelta(minutes=5, seconds=1), tick=False):
        out = io.StringIO()
        call_command("incident_clock", stdout=out)
        assert "late: 1 incident(s)" in out.getvalue()
        assert report_clock(today=date(2026, 3, 2)).status == "failing"
    incident.refresh_from_db()
    assert incident.report_late
    assert AuditEvent.objects.filter(
        action="incidents.incident.report_late", object_id=str(incident.pk)
    ).exists()
    # A report after the clock is kept, and stays late.
    with time_machine.travel(T0 + timedelta(minutes=7), tick=False):
        report = services.incident_report_record(
            incident=incident, actor=responder, channel=ReportChannel.PHONE, recipients="王组长"
        )
    incident.refresh_from_db()
    assert not report.within_clock and incident.report_late


def test_a_drill_is_kept_out_of_the_check(responder):
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        _open(responder, is_drill=True)
        services.incidents_mark_late()
        assert report_clock(today=date(2026, 3, 2)).status == "met"


def test_bad_report_input_is_refused(responder):
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        incident = _open(responder)
        for kw in (
            {"channel": "pigeon", "recipients": "王组长"},
            {"channel": ReportChannel.PHONE, "recipients": " "},
            {"channel": ReportChannel.PHONE, "recipients": "王", "reported_at": T0 - timedelta(minutes=1)},
            {"channel": ReportChannel.PHONE, "recipients": "王", "reported_at": T0 + timedelta(hours=1)},
        ):
            with pytest.raises(ValidationError):
                services.incident_report_record(incident=incident, actor=responder, **kw)
    assert not incident.reports.exists()


def test_opening_notifies_the_leadership_by_mail_and_webhook_and_counts_as_the_report(
    responder, roster, webhook_receiver, settings, django_capture_on_commit_callbacks
):
    settings.INCIDENT_WEBHOOK_PAYLOAD = (
        '{"msgtype": "text", "text": {"content": "{title} {url}"}, "mobiles": "{phones}", "ack": "{ack_url}"}'
    )
    settings.INCIDENT_WEBHOOK_HEADERS = {"X-Gateway-Key": "k1"}
    with (
        time_machine.travel(T0 + timedelta(minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        incident = _open(responder)
    # The gateway got the configured payload.
    assert len(webhook_receiver.received) == 1
    got = webhook_receiver.received[0]
    assert got["path"] == "/hook" and got["headers"]["X-Gateway-Key"] == "k1"
    assert got["json"]["mobiles"] == ["13900000001", "13900000002"]  # the 领导小组, not the 应急领导小组
    assert "网页被篡改" in got["json"]["text"]["content"]
    assert f"/admin/incidents/{incident.pk}/" in got["json"]["text"]["content"]
    assert "/api/incidents/ack/" in got["json"]["ack"]
    # And the e-mail.
    assert sorted(mail.outbox[0].to) == ["lead@example.org", "li@example.org"]
    incident.refresh_from_db()
    assert incident.first_reported_at == T0 + timedelta(minutes=1) and not incident.report_late
    assert set(incident.reports.values_list("channel", flat=True)) == {"email", "webhook"}


def test_a_major_incident_goes_to_the_emergency_group_too(
    responder, roster, webhook_receiver, django_capture_on_commit_callbacks
):
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        _open(responder, severity=Severity.MAJOR)
    assert "13900000003" in webhook_receiver.received[0]["json"]["phones"]


def test_unacknowledged_notifications_are_resent_and_escalated_until_acknowledged(
    responder, roster, webhook_receiver, settings, django_capture_on_commit_callbacks
):
    settings.INCIDENT_ACK_MINUTES = 10
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        incident = _open(responder)
    hook = incident.notifications.get(channel="webhook")
    with time_machine.travel(T0 + timedelta(minutes=9), tick=False):
        assert services.notifications_escalate() == []
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        assert len(services.notifications_escalate()) == 2  # e-mail and webhook
    assert len(webhook_receiver.received) == 2
    resent = webhook_receiver.received[1]["json"]
    assert "13900000003" in resent["phones"]  # escalated to the 应急领导小组
    hook.refresh_from_db()
    assert hook.attempts == 2 and hook.escalated_at is not None
    # Acknowledged through the link (the signed token of the first message still works).
    token = services.ack_token(hook)
    assert services.notification_acknowledge(token=token, by="王组长") == hook
    assert services.notification_acknowledge(token="forged") is None
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        again = services.notifications_escalate()
    assert [n.channel for n in again] == ["email"]
    assert len(webhook_receiver.received) == 2
    assert AuditEvent.objects.filter(action="incidents.notification.escalated").count() == 3


def test_a_failing_webhook_is_recorded_not_reported(
    responder, roster, webhook_receiver, django_capture_on_commit_callbacks
):
    webhook_receiver.status = 500
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        incident = _open(responder)
    hook = incident.notifications.get(channel="webhook")
    assert not hook.delivered and "500" in hook.last_error
    assert list(incident.reports.values_list("channel", flat=True)) == ["email"]
    event = AuditEvent.objects.filter(action="incidents.notification.sent", outcome="failure").get()
    assert event.extra["channel"] == "webhook"


def test_lock_user_action_needs_role_confirmation_and_reason_and_really_locks(responder, client):
    from ggzy.accounts.tests.factories import login_as

    victim = make_user(RoleKey.DRAFTER, username="compromised")
    login_as(client, victim)
    with time_machine.travel(T0, tick=False):
        incident = _open(responder)
    web = make_user(RoleKey.WEBSITE_ADMIN)
    with pytest.raises(PermissionDenied):
        services.playbook_action_run(
            incident=incident,
            key="accounts.lock_user",
            actor=web,
            reason="x",
            confirmed=True,
            target="compromised",
        )
    with pytest.raises(ValidationError):
        services.playbook_action_run(
            incident=incident,
            key="accounts.lock_user",
            actor=responder,
            reason="x",
            confirmed=False,
            target="compromised",
        )
    with pytest.raises(ValidationError):
        services.playbook_action_run(
            incident=incident,
            key="accounts.lock_user",
            actor=responder,
            reason=" ",
            confirmed=True,
            target="compromised",
        )
    victim.refresh_from_db()
    assert victim.is_active
    assert AuditEvent.objects.filter(action="incidents.action.refused").count() == 3
    result = services.playbook_action_run(
        incident=incident,
        key="accounts.lock_user",
        actor=responder,
        reason="口令泄露",
        confirmed=True,
        target="Compromised",
    )
    assert "会话 1 个" in result
    victim.refresh_from_db()
    assert not victim.is_active
    assert client.get("/admin/").status_code == 302  # the session is gone
    assert AuditEvent.objects.filter(action="accounts.user.locked", object_id=str(victim.pk)).exists()
    assert incident.timeline.filter(kind="action").exists()


def test_evidence_is_stored_with_its_sha256_through_the_upload_gate(responder):
    import hashlib

    with time_machine.travel(T0, tick=False):
        incident = _open(responder)
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    data = buf.getvalue()
    (evidence,) = services.evidence_add(
        incident=incident,
        actor=responder,
        files=[SimpleUploadedFile("截图.png", data)],
        description="篡改页面截图",
    )
    assert evidence.sha256 == hashlib.sha256(data).hexdigest() and evidence.added_by == responder
    with pytest.raises(ValidationError):
        services.evidence_add(
            incident=incident, actor=responder, files=[SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 10)]
        )
    assert incident.evidence.count() == 1


def _investigate(incident, actor):
    return services.investigation_save(
        incident=incident,
        actor=actor,
        investigators="安全管理员、信息中心专家",
        cause="发布目录权限配置错误",
        nature="网页篡改",
        impact="一个公告页面",
        consequences="篡改内容在线 5 分钟",
        responsibility="运维",
        response_capability="5 分钟内发现并恢复",
        recovery="从签名清单恢复",
        lessons="收紧目录权限",
    )


def test_closing_needs_the_signed_off_report_and_never_deletes(responder, roster):
    with time_machine.travel(T0, tick=False):
        incident = _open(responder)
    with pytest.raises(ValidationError):
        services.incident_close(incident=incident, actor=responder)
    services.incident_set_status(incident=incident, actor=responder, status=IncidentStatus.CONTAINED)
    services.incident_set_status(incident=incident, actor=responder, status=IncidentStatus.RECOVERED)
    with pytest.raises(ValidationError):
        services.incident_set_status(incident=incident, actor=responder, status=IncidentStatus.OPEN)
    with pytest.raises(ValidationError, match="缺少"):
        services.investigation_save(incident=incident, actor=responder, investigators="甲")
    _investigate(incident, responder)
    with pytest.raises(ValidationError):
        services.investigation_sign_off(incident=incident, actor=roster["lead_user"])  # no follow-ups yet
    services.follow_up_add(
        incident=incident, actor=responder, text="收紧发布目录权限", owner=responder, due_on=date(2026, 4, 1)
    )
    with pytest.raises(PermissionDenied):
        services.investigation_sign_off(incident=incident, actor=responder)
    report = services.investigation_sign_off(incident=incident, actor=roster["lead_user"])
    pdf = report.pdf.read()
    assert pdf.startswith(b"%PDF") and len(report.pdf_sha256) == 64
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "事件调查报告" in text and "发布目录权限配置错误" in text and "收紧发布目录权限" in text
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    descriptors = [
        (f["/DescendantFonts"][0].get_object() if "/DescendantFonts" in f else f)["/FontDescriptor"]
        for f in fonts
    ]
    assert any(
        "/FontFile2" in d or "/FontFile3" in d or "/FontFile" in d for d in descriptors
    )  # CJK embedded
    with pytest.raises(ValidationError):
        _investigate(incident, responder)  # signed off: frozen
    services.incident_close(incident=incident, actor=responder)
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    with pytest.raises(ValidationError):
        services.incident_note(incident=incident, actor=responder, text="还有")
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        incident.timeline.first().incident.delete()


def test_opened_in_error_needs_the_security_admin_and_a_reason(responder):
    with time_machine.travel(T0, tick=False):
        incident = _open(responder)
    with pytest.raises(PermissionDenied):
        services.incident_mark_error(incident=incident, actor=make_user(RoleKey.NETWORK_ADMIN), reason="误报")
    with pytest.raises(ValidationError):
        services.incident_mark_error(incident=incident, actor=responder, reason="")
    services.incident_mark_error(incident=incident, actor=responder, reason="演练数据误录")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ERROR and incident.error_reason == "演练数据误录"
    assert Notification.objects.count() == 0
