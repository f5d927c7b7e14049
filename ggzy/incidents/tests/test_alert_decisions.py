"""A person promotes an alert to an incident or dismisses it with a reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.incidents.alerts import raise_alert
from ggzy.incidents.choices import AlertStatus, IncidentStatus, IncidentType, Severity
from ggzy.incidents.services import alert_dismiss, alert_promote

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert():
    return raise_alert(
        source="sitebuild",
        key="tamper:/srv/site",
        title="网页被篡改",
        incident_type=IncidentType.ATTACK,
        severity=Severity.LARGE,
        detail="modified: index.html",
    )


def test_promote_opens_an_incident_detected_when_the_alert_was_first_seen(alert):
    actor = make_user(RoleKey.WEBSITE_ADMIN)
    incident = alert_promote(alert=alert, actor=actor)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.PROMOTED and alert.incident == incident
    assert incident.incident_type == IncidentType.ATTACK
    assert incident.severity == Severity.LARGE
    assert incident.detected_at == alert.first_seen
    assert incident.status == IncidentStatus.OPEN
    assert incident.owner == actor
    assert "index.html" in incident.description
    assert AuditEvent.objects.filter(action="incidents.incident.opened", object_id=str(incident.pk)).exists()
    assert AuditEvent.objects.filter(action="incidents.alert.promoted", object_id=str(alert.pk)).exists()
    with pytest.raises(ValidationError):
        alert_promote(alert=alert, actor=actor)


def test_a_second_alert_attaches_to_an_open_incident(alert):
    actor = make_user(RoleKey.SECURITY_ADMIN)
    incident = alert_promote(alert=alert, actor=actor)
    other = raise_alert(source="audit", key="chain", title="审计链断裂", incident_type=IncidentType.ATTACK)
    assert alert_promote(alert=other, actor=actor, incident=incident) == incident
    assert incident.alerts.count() == 2


def test_who_may_promote_and_dismiss(alert):
    for role in (RoleKey.DRAFTER, RoleKey.AUDIT_ADMIN, RoleKey.LEADER):
        with pytest.raises(PermissionDenied):
            alert_promote(alert=alert, actor=make_user(role))
    with pytest.raises(PermissionDenied):
        alert_dismiss(alert=alert, actor=make_user(RoleKey.NETWORK_ADMIN), reason="误报")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_dismiss_needs_a_reason_and_is_audited(alert):
    security = make_user(RoleKey.SECURITY_ADMIN)
    with pytest.raises(ValidationError):
        alert_dismiss(alert=alert, actor=security, reason="  ")
    alert_dismiss(alert=alert, actor=security, reason="计划内的发布目录迁移")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.DISMISSED
    assert alert.dismiss_reason == "计划内的发布目录迁移"
    event = AuditEvent.objects.get(action="incidents.alert.dismissed")
    assert event.extra["reason"] == "计划内的发布目录迁移" and event.actor == security
