"""The device and segment registers as the scans' host source (网络安全管理办法 二(一)(三),
ggzy.core.inventory): a scanned address matched to the device managed at it, or by
name; the most specific segment holding it; an unknown host on an important segment a
finding; a high finding on an internet-facing device reported at once."""

import pytest

from ggzy.core import inventory
from ggzy.incidents.models import Alert
from ggzy.network.models import Device, Segment
from ggzy.vulns import services as vulns
from ggzy.vulns.models import Finding, Host
from ggzy.vulns.tests.conftest import make_plan, people  # noqa: F401 (fixture)
from ggzy.vulns.tests.test_import_other import SSH, _openvas

pytestmark = pytest.mark.django_db


@pytest.fixture
def registers():
    core = Segment.objects.create(name="核心业务网段", cidr="10.0.0.0/16", important=False)
    dmz = Segment.objects.create(name="交易系统服务器区", cidr="10.0.1.0/24", important=True)
    edge = Device.objects.create(
        name="FW-EDGE", kind="firewall", platform="huawei_vrp", mgmt_address="10.0.1.5", internet_facing=True
    )
    Device.objects.create(name="oa.jzggzy.local", kind="server", platform="linux", mgmt_address="10.9.9.9")
    Device.objects.create(
        name="retired", kind="server", platform="linux", mgmt_address="10.0.1.6", active=False
    )
    return core, dmz, edge


def test_the_registers_answer_in_batches(registers):
    _core, _dmz, edge = registers
    found = inventory.match_hosts([("10.0.1.5", ""), ("10.0.1.6", ""), ("10.0.2.7", "OA.JZGGZY.LOCAL")])
    assert found["10.0.1.5"].key == "FW-EDGE" and found["10.0.1.5"].internet_facing
    assert found["10.0.1.5"].url == f"/admin/network/devices/{edge.pk}/"
    assert "10.0.1.6" not in found  # an inactive device is not who is there now
    assert found["10.0.2.7"].key == "oa.jzggzy.local"  # by name, case-insensitively
    segments = inventory.segments_of(["10.0.1.99", "10.0.7.1", "192.168.1.1", "not-an-ip"])
    assert segments["10.0.1.99"] == inventory.Segment("交易系统服务器区", True)  # the most specific
    assert segments["10.0.7.1"] == inventory.Segment("核心业务网段", False)
    assert "192.168.1.1" not in segments and "not-an-ip" not in segments


def test_a_scan_reads_its_hosts_against_the_registers(people, registers):  # noqa: F811
    plan = make_plan(people, scope="10.0.1.0/24")
    high = {**SSH, "cvss": "7.5", "threat": "High", "name": "Outdated TLS", "id": "9"}
    stranger = {**SSH, "id": "10", "host": "10.0.1.77"}
    upload = _openvas(high, stranger)
    body = upload.read().replace(b"oa.jzggzy.local", b"unknown-box")
    from django.core.files.uploadedfile import SimpleUploadedFile

    vulns.scan_import(
        plan=plan, upload=SimpleUploadedFile("r.xml", body), kind="openvas", actor=people.network_admin
    )
    edge = Host.objects.get(address="10.0.1.5")
    assert edge.known_key == "FW-EDGE" and edge.segment_important and edge.internet_facing
    unknown = Finding.objects.get(vuln_id=vulns.UNREGISTERED_HOST)
    assert unknown.host.address == "10.0.1.77" and "交易系统服务器区" in unknown.title
    # High on the internet-facing firewall: reported at once.
    assert Alert.objects.filter(source="vulns", title__contains="10.0.1.5").exists()
