"""The register's screens per role (网络安全管理办法 四(三)): management addresses,
segments and configurations only for the 网络管理员, the 安全管理员 and the 审计管理员
(read-only); every view of a configuration audited; secrets masked; change records
recorded by the 网络管理员 and approved by the 安全管理员, after the fact too."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ggzy.accounts.tests.factories import login_as
from ggzy.audit.models import AuditEvent
from ggzy.compliance.registry import all_checks
from ggzy.core.tests.access import is_refusal
from ggzy.incidents.models import Alert
from ggzy.network import services
from ggzy.network.models import ChangeRecord, Segment
from ggzy.network.registers import NETWORK_REGISTERS

from .conftest import HUAWEI

pytestmark = pytest.mark.django_db

CONFIDENTIAL_ROLES = ("network_admin", "security_admin", "audit_admin")
REGISTER_ONLY = ("system_admin", "machine_room_admin")


@pytest.fixture
def pulled(make_device, team):
    segment = NETWORK_REGISTERS.save(
        register=NETWORK_REGISTERS["segments"],
        instance=None,
        data={"name": "核心业务网段", "cidr": "10.9.8.0/24", "important": "on", "isolation": "防火墙"},
        actor=team.network_admin,
    )
    device = make_device(segment=segment, mgmt_address="127.0.0.1")
    attempt = services.pull_device(device=device)
    assert attempt.outcome == "ok"
    return device, attempt


@pytest.mark.parametrize("role", CONFIDENTIAL_ROLES + REGISTER_ONLY + ("drafter",))
def test_confidential_fields_per_role(client, team, pulled, role):
    device, attempt = pulled
    user = getattr(team, role)
    login_as(client, user)
    index = client.get(reverse("network_index"))
    detail = client.get(reverse("network_device", args=[device.pk]))
    version = client.get(reverse("network_version", args=[attempt.running.pk]))
    drift = client.get(reverse("network_drift", args=[device.pk]))
    register = client.get(reverse("network_register_devices"))
    changes = client.get(reverse("network_changes"))
    if role == "drafter":
        assert all(is_refusal(r) for r in (index, detail, version, drift, register, changes))
        return
    assert index.status_code == 200 and detail.status_code == 200
    page = index.content.decode() + detail.content.decode()
    assert device.name in page
    if role in CONFIDENTIAL_ROLES:
        assert "127.0.0.1" in page and "核心业务网段" in page
        assert version.status_code == 200 and drift.status_code == 200
        assert register.status_code == 200 and changes.status_code == 200
        text = version.content.decode()
        assert "CORE-SW" in text and "Hd7xCoreCommunity" not in text and "HuaweiAdminHash" not in text
        viewed = AuditEvent.objects.filter(action="network.config.viewed", actor_id=user.pk)
        assert viewed.count() == 2  # the version and the drift view
    else:
        assert "127.0.0.1" not in page and "核心业务网段" not in page
        assert all(is_refusal(r) for r in (version, drift, register, changes))
        assert not AuditEvent.objects.filter(action="network.config.viewed").exists()


def test_only_the_network_admin_keeps_the_register_and_records_changes(client, team, pulled):
    device, _ = pulled
    for role in ("security_admin", "audit_admin", "system_admin"):
        login_as(client, getattr(team, role))
        assert is_refusal(client.get(reverse("network_register_devices_new")))
        assert is_refusal(client.get(reverse("network_change_new")))
        assert is_refusal(client.post(reverse("network_device_pull", args=[device.pk])))
    assert Segment.objects.count() == 1


def _planned(minutes=-5):
    return (timezone.localtime() + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def test_a_change_recorded_and_approved_before_is_linked_to_the_new_version(
    client, team, pulled, fake_devices
):
    device, _ = pulled
    login_as(client, team.network_admin)
    response = client.post(
        reverse("network_change_new"),
        {"device": device.pk, "summary": "关闭 telnet", "reason": "七(一)", "planned_at": _planned()},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    change = ChangeRecord.objects.get()
    # The recorder cannot approve it; the 安全管理员 can.
    assert is_refusal(client.post(reverse("network_change", args=[change.pk]), {"approve": "1"}))
    login_as(client, team.security_admin)
    assert (
        client.post(reverse("network_change", args=[change.pk]), {"approve": "1", "note": "同意"}).status_code
        == 302
    )
    change.refresh_from_db()
    assert change.state == "approved" and change.approver == team.security_admin

    changed = HUAWEI.replace("#\nreturn", "#\nundo telnet server enable\n#\nreturn")
    fake_devices.set("huawei_vrp", running=changed, saved=changed)
    attempt = services.pull_device(device=device)
    assert attempt.running.change == change
    assert not Alert.objects.filter(source="network").exists()
    assert all_checks()["network.changes_recorded"].func(today=dt.date.today()).status == "met"


def test_an_unapproved_change_alerts_and_fails_until_recorded_and_approved_after_the_fact(
    client, team, pulled, fake_devices
):
    device, _ = pulled
    changed = HUAWEI.replace("#\nreturn", "#\nsnmp-agent sys-info version v3\n#\nreturn")
    fake_devices.set("huawei_vrp", running=changed, saved=changed)
    attempt = services.pull_device(device=device)
    version = attempt.running
    assert version.change is None and version.needs_change
    alert = Alert.objects.get(source="network")
    assert alert.status == "open" and device.name in alert.title
    check = all_checks()["network.changes_recorded"]
    assert check.func(today=dt.date.today()).status == "failing"

    login_as(client, team.network_admin)
    # After the fact, the reason is required.
    response = client.post(
        reverse("network_change_new"),
        {
            "device": device.pk,
            "summary": "启用 SNMPv3",
            "reason": "监控",
            "planned_at": _planned(-60),
            "for_version": version.pk,
        },
    )
    assert response.status_code == 200 and "补登须说明" in response.content.decode()
    response = client.post(
        reverse("network_change_new"),
        {
            "device": device.pk,
            "summary": "启用 SNMPv3",
            "reason": "监控",
            "planned_at": _planned(-60),
            "for_version": version.pk,
            "late_reason": "夜间故障处理，未及事先登记",
        },
    )
    assert response.status_code == 302
    change = ChangeRecord.objects.get()
    assert check.func(today=dt.date.today()).status == "failing"  # recorded, not yet approved

    login_as(client, team.security_admin)
    response = client.post(reverse("network_change", args=[change.pk]), {"approve": "0", "note": ""})
    assert response.status_code == 200  # a rejection needs a reason
    client.post(reverse("network_change", args=[change.pk]), {"approve": "1", "note": "补登同意"})
    version.refresh_from_db()
    assert version.change == change
    alert.refresh_from_db()
    assert alert.status != "open"
    assert check.func(today=dt.date.today()).status == "met"
    assert AuditEvent.objects.filter(action="network.change.decided", object_id=str(change.pk)).exists()
