"""Scanned hosts read against the registers (网络安全管理办法 二(一)(三), ggzy.core.inventory):
matched by address then name, an unknown host on an important segment a finding, a
high finding on an internet-facing device a major danger raised at once, dismissing an
unknown host with a reason. The register here is a minimal one declared through the
public interface, as the device register declares itself."""

import ipaddress

import pytest

from ggzy.accounts.tests.factories import login_as
from ggzy.audit.models import AuditEvent
from ggzy.core import inventory
from ggzy.incidents.models import Alert
from ggzy.vulns import services
from ggzy.vulns.choices import FindingStatus
from ggzy.vulns.models import Finding, Host

from .conftest import make_plan
from .test_import_other import OPENSSL, SSH, _openvas

pytestmark = pytest.mark.django_db

DEVICES = {"10.0.1.5": ("fw-edge", "边界防火墙", True)}
NAMES = {"oa.jzggzy.local": ("oa-server", "OA 服务器", False)}
IMPORTANT = ipaddress.ip_network("10.0.1.0/24")


def _known(key, label, facing):
    return inventory.KnownHost(
        source="test.register", key=key, label=label, url=f"/r/{key}/", internet_facing=facing
    )


@pytest.fixture
def register():
    inventory.register_host_source(
        "test.register",
        by_address=lambda addresses: {a: _known(*DEVICES[a]) for a in addresses if a in DEVICES},
        by_name=lambda names: {n: _known(*NAMES[n]) for n in names if n in NAMES},
        segments=lambda addresses: {
            a: inventory.Segment("核心业务网段", True)
            for a in addresses
            if ipaddress.ip_address(a) in IMPORTANT
        },
    )
    yield
    inventory._SOURCES.pop("test.register")


def test_hosts_are_matched_by_address_then_name(people, register):
    plan = make_plan(people, scope="10.0.1.0/24")
    stranger = {**SSH, "id": "3", "host": "10.0.1.77"}
    services.scan_import(
        plan=plan, upload=_openvas(OPENSSL, SSH, stranger), kind="openvas", actor=people.network_admin
    )
    edge = Host.objects.get(address="10.0.1.5")
    assert (edge.known_key, edge.known_label, edge.internet_facing) == ("fw-edge", "边界防火墙", True)
    assert edge.segment_name == "核心业务网段" and edge.segment_important
    # The stranger's RESULT carries the OA server's name: matched by name.
    assert Host.objects.get(address="10.0.1.77").known_key == "oa-server"


def test_an_unknown_host_on_an_important_segment_is_a_finding_until_dismissed(people, register, client):
    plan = make_plan(people, scope="10.0.1.0/24")
    unknown = {**SSH, "id": "4", "host": "10.0.1.99"}
    body = _openvas(unknown).read().replace(b"oa.jzggzy.local", b"laptop-x")
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.scan_import(
        plan=plan, upload=SimpleUploadedFile("r.xml", body), kind="openvas", actor=people.network_admin
    )
    finding = Finding.objects.get(vuln_id=services.UNREGISTERED_HOST)
    assert (
        finding.host.address == "10.0.1.99" and finding.severity == "high" and "核心业务网段" in finding.title
    )
    login_as(client, people.network_admin)
    page = client.get("/admin/vulns/hosts/").content.decode()
    assert "10.0.1.99" in page and "未登记" in page
    refused = client.post(f"/admin/vulns/hosts/{finding.host.pk}/dismiss/", {"reason": " "})
    assert refused.status_code == 302 and Host.objects.get(pk=finding.host.pk).dismissed_at is None
    client.post(f"/admin/vulns/hosts/{finding.host.pk}/dismiss/", {"reason": "来访人员笔记本，已离场"})
    finding.refresh_from_db()
    assert finding.status == FindingStatus.FIX_PROPOSED
    assert AuditEvent.objects.filter(action="vulns.host.dismissed").exists()
    assert "10.0.1.99" not in client.get("/admin/vulns/hosts/").content.decode()
    # Scanned again: dismissed, so no new unregistered-host finding.
    services.scan_import(
        plan=plan, upload=SimpleUploadedFile("r.xml", body), kind="openvas", actor=people.network_admin
    )
    assert Finding.objects.filter(vuln_id=services.UNREGISTERED_HOST).count() == 1


def test_a_high_finding_on_an_internet_facing_device_is_a_major_danger(people, register):
    plan = make_plan(people, scope="10.0.1.0/24")
    high = {**SSH, "cvss": "7.5", "threat": "High", "name": "Outdated TLS", "id": "5"}
    services.scan_import(plan=plan, upload=_openvas(high), kind="openvas", actor=people.network_admin)
    assert Finding.objects.get(port=22).severity == "high"
    alert = Alert.objects.get(source="vulns")
    assert "10.0.1.5" in alert.title  # the edge firewall faces the internet
