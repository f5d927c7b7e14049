"""Importing nmap XML run elsewhere, inside a plan: hostile, malformed, oversized or
out-of-scope files are refused whole, with a clear message, and audited."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from ggzy.audit.models import AuditEvent
from ggzy.vulns import services
from ggzy.vulns.choices import ScanSource, Severity
from ggzy.vulns.models import Finding, Host, Scan

from .conftest import make_plan

pytestmark = pytest.mark.django_db

REPORT = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<nmaprun scanner="nmap" args="nmap -sT 10.0.1.0/24" version="7.93">
<host><status state="up" reason="syn-ack"/><address addr="10.0.1.5" addrtype="ipv4"/>
<hostnames><hostname name="oa.jzggzy.local" type="PTR"/></hostnames>
<ports>
<port protocol="tcp" portid="23"><state state="open"/><service name="telnet"/></port>
<port protocol="tcp" portid="443"><state state="open"/>
<service name="https" product="nginx" version="1.22.1"/></port>
<port protocol="tcp" portid="8080"><state state="closed"/></port>
</ports></host>
<host><status state="down"/><address addr="10.0.1.6" addrtype="ipv4"/></host>
{extra}
</nmaprun>
"""


def _upload(text: str, name="scan.xml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/xml")


def test_an_nmap_report_is_imported_with_its_findings(people):
    plan = make_plan(people, scope="10.0.1.0/24", ports="1-65535")
    scan = services.scan_import(
        plan=plan, upload=_upload(REPORT.format(extra="")), actor=people.network_admin
    )
    assert scan.source == ScanSource.IMPORTED and scan.hosts_up == 1 and len(scan.output_sha256) == 64
    host = Host.objects.get()
    assert (host.address, host.hostname) == ("10.0.1.5", "oa.jzggzy.local")
    findings = {f.port: f for f in Finding.objects.all()}
    assert set(findings) == {23, 443}  # the closed port is not a finding
    assert findings[23].severity == Severity.MEDIUM  # telnet: cleartext administration
    assert findings[443].severity == Severity.INFO and "nginx 1.22.1" in findings[443].title
    # The same report again: the same findings, not new ones.
    services.scan_import(plan=plan, upload=_upload(REPORT.format(extra="")), actor=people.network_admin)
    assert Finding.objects.count() == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            "<nmaprun>&lol2;</nmaprun>",
            "实体或外部引用",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><nmaprun>&x;</nmaprun>',
            "实体或外部引用",
        ),
        ("<nmaprun><host>", "不是有效的 XML"),
        ("<report><host/></report>", "不是 nmap 的 XML"),
        ("", "不是有效的 XML"),
    ],
    ids=["billion-laughs", "external-entity", "truncated", "not-nmap", "empty"],
)
def test_hostile_or_malformed_xml_is_refused_whole(people, text, message):
    plan = make_plan(people, scope="10.0.1.0/24")
    with pytest.raises(ValidationError) as refused:
        services.scan_import(plan=plan, upload=_upload(text), actor=people.network_admin)
    assert message in " ".join(refused.value.messages)
    assert not Scan.objects.exists() and not Host.objects.exists() and not Finding.objects.exists()
    assert AuditEvent.objects.filter(action="vulns.import.refused", outcome="failure").count() == 1


@override_settings(VULNS_MAX_REPORT_BYTES=4096)
def test_an_oversized_report_is_refused_while_streaming(people):
    plan = make_plan(people, scope="10.0.1.0/24")
    big = REPORT.format(extra="<!--" + "x" * 8192 + "-->")
    with pytest.raises(ValidationError) as refused:
        services.scan_import(plan=plan, upload=_upload(big), actor=people.network_admin)
    assert "过大" in " ".join(refused.value.messages)
    assert not Scan.objects.exists()


def test_a_report_with_a_host_outside_the_plan_is_not_imported(people):
    plan = make_plan(people, scope="10.0.1.0/25")
    extra = '<host><status state="up"/><address addr="10.0.1.200" addrtype="ipv4"/></host>'
    with pytest.raises(ValidationError) as refused:
        services.scan_import(
            plan=plan, upload=_upload(REPORT.format(extra=extra)), actor=people.network_admin
        )
    assert "10.0.1.200" in " ".join(refused.value.messages)
    assert not Host.objects.exists() and not Finding.objects.exists()
