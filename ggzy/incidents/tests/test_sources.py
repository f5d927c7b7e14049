"""Alerts raised automatically: a tamper finding (sitebuild, above), an audit-chain break
and lockouts from one network range (below: through their signals), prohibited content
blocked at the intake API (notices, above) — and the restore action really restoring."""

import io
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.events import emit
from ggzy.accounts.tests.factories import make_user
from ggzy.incidents import services
from ggzy.incidents.choices import AlertStatus, IncidentType, Severity
from ggzy.incidents.models import Alert

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings):
    from ggzy.portal.tests.factories import column, publish_article

    article = publish_article(column("jyxx/jsgc/zbgg"), "道路改造工程招标公告")
    call_command("build_site", stdout=io.StringIO())
    return settings.PUBLISH_ROOT, unquote(article.url).strip("/") + "/index.html"


def test_a_tamper_finding_raises_one_grouped_alert_and_the_restore_action_restores(site):
    root, article = site
    original = (root / article).read_bytes()
    (root / article).write_text("<h1>网站已被篡改</h1>", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(CommandError):
            call_command("verify_site", stdout=io.StringIO())
    alert = Alert.objects.get()
    assert (alert.source, alert.key, alert.count) == ("sitebuild", f"tamper:{root}", 2)
    assert alert.incident_type == IncidentType.ATTACK and alert.severity == Severity.LARGE
    assert article in alert.detail

    security = make_user(RoleKey.SECURITY_ADMIN)
    incident = services.alert_promote(alert=alert, actor=security)
    result = services.playbook_action_run(
        incident=incident, key="sitebuild.restore", actor=security, reason="恢复被篡改页面", confirmed=True
    )
    assert "被修改 1" in result
    assert (root / article).read_bytes() == original
    # The next check is intact: the alert is marked recovered.
    call_command("verify_site", stdout=io.StringIO())
    alert.refresh_from_db()
    assert alert.status == AlertStatus.PROMOTED  # promoted alerts stay with their incident


def test_an_intact_check_recovers_the_open_alert(site):
    root, article = site
    (root / article).write_text("tampered", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("verify_site", stdout=io.StringIO())
    call_command("verify_site", "--restore", stdout=io.StringIO())
    call_command("verify_site", stdout=io.StringIO())
    assert Alert.objects.get().status == AlertStatus.RECOVERED


def test_an_audit_chain_break_raises_a_major_alert():
    from ggzy.audit.tests.factories import make_events, tamper

    events = make_events(3)
    tamper("UPDATE audit_auditevent SET object_repr = 'nothing to see' WHERE id = %s", [events[1].pk])
    with pytest.raises(SystemExit):
        call_command("audit_verify", stdout=io.StringIO(), stderr=io.StringIO())
    alert = Alert.objects.get(source="audit")
    assert alert.key == "chain" and alert.severity == Severity.MAJOR
    assert str(events[1].seq) in alert.detail


def test_lockouts_from_one_range_raise_an_alert_at_the_threshold(settings):
    settings.INCIDENT_LOCKOUT_RANGE_THRESHOLD = 3
    for n, ip in enumerate(["10.1.2.3", "10.9.9.9", "10.1.2.40"]):
        emit("accounts.login.locked_out", outcome="failure", username=f"u{n}", ip=ip)
    assert not Alert.objects.exists()  # two in 10.1.2.0/24, one elsewhere
    emit("accounts.login.locked_out", outcome="failure", username="u9", ip="10.1.2.77")
    alert = Alert.objects.get()
    assert alert.key == "lockouts:10.1.2.0/24" and "u0" in alert.detail
    emit("accounts.login.locked_out", outcome="failure", username="u10", ip="10.1.2.78")
    alert.refresh_from_db()
    assert alert.count == 2 and Alert.objects.count() == 1


def test_prohibited_content_blocked_at_the_intake_api_raises_an_alert(client):
    from ggzy.notices.services import api_token_create
    from ggzy.notices.tests.test_api import _b64, candidates_body, post
    from ggzy.screening.tests import documents as d
    from ggzy.screening.tests.helpers import resident_id

    token, raw = api_token_create(
        name="交易系统", kinds=["construction.candidates"], actor=make_user(RoleKey.SYSTEM_ADMIN)
    )
    data = d.docx(paragraphs=(f"联系人身份证 {resident_id()}",))
    body = candidates_body(attachments=[{"filename": "名单.docx", "content_base64": _b64(data)}])
    response = post(client, body, raw)
    assert response.status_code == 422
    alert = Alert.objects.get()
    assert alert.source == "screening" and alert.incident_type == IncidentType.MALWARE
    assert alert.key == f"intake-api:{token.pk}" and "名单.docx" in alert.detail
    # A type refusal (not prohibited content) raises nothing.
    body = candidates_body(
        external_id="JY-2", attachments=[{"filename": "a.pdf", "content_base64": _b64(b"MZ" + b"\x00" * 200)}]
    )
    assert post(client, body, raw).status_code == 422
    assert Alert.objects.count() == 1
