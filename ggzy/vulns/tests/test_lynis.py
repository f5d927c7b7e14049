"""lynis baseline reports (Debian's lynis, run for real on this machine) imported as
host findings inside a plan."""

import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ggzy.vulns import services
from ggzy.vulns.choices import FindingStatus, Severity
from ggzy.vulns.models import Finding, Scan

from .conftest import make_plan

pytestmark = pytest.mark.django_db

LYNIS = shutil.which("lynis") or "/usr/sbin/lynis"


@pytest.fixture(scope="module")
def lynis_report(tmp_path_factory) -> bytes:
    """A real report: lynis audits this machine's authentication and networking groups
    (about 10 s; networking lists the machine's addresses)."""
    root = tmp_path_factory.mktemp("lynis")
    subprocess.run(
        [
            LYNIS,
            "audit",
            "system",
            "--quick",
            "--no-colors",
            "--tests-from-group",
            "authentication networking",
            "--report-file",
            str(root / "report.dat"),
            "--logfile",
            str(root / "lynis.log"),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return (root / "report.dat").read_bytes()


def _import(people, plan, data: bytes):
    return services.scan_import(
        plan=plan, upload=SimpleUploadedFile("report.dat", data), kind="lynis", actor=people.network_admin
    )


def test_a_real_lynis_report_becomes_host_findings(people, lynis_report):
    plan = make_plan(people, scope="127.0.0.1/32")
    scan = _import(people, plan, lynis_report)
    findings = Finding.objects.filter(vuln_id__startswith="lynis:")
    reported = {
        line.split("=", 1)[1].split("|")[0]
        for line in lynis_report.decode().splitlines()
        if line.startswith(("warning[]=", "suggestion[]=")) and "=LYNIS|" not in line
    }
    assert reported and {f.vuln_id.removeprefix("lynis:") for f in findings} == reported
    assert all(f.host.address == "127.0.0.1" and f.port == 0 for f in findings)
    assert scan.output.name.endswith(".dat") and scan.hosts_up == 1


REPORT = """# Lynis Report
report_version_major=1
lynis_version=3.0.8
hostname=oa-server
network_ipv4_address[]=10.0.1.5
network_ipv4_address[]=127.0.0.1
warning[]=SSH-7408|SSH option PermitRootLogin is set to yes|-|-|
suggestion[]=AUTH-9286|Configure minimum password age in /etc/login.defs|-|-|
suggestion[]=LYNIS|This release is more than 4 months old.|-|-|
"""


def test_warnings_are_medium_suggestions_low_and_a_fixed_one_is_proposed(people):
    plan = make_plan(people, scope="10.0.1.0/24")
    _import(people, plan, REPORT.encode())
    root = Finding.objects.get(vuln_id="lynis:SSH-7408")
    assert (
        root.severity == Severity.MEDIUM
        and root.host.address == "10.0.1.5"
        and root.host.hostname == "oa-server"
    )
    assert Finding.objects.get(vuln_id="lynis:AUTH-9286").severity == Severity.LOW
    assert not Finding.objects.filter(vuln_id="lynis:LYNIS").exists()
    _import(
        people,
        plan,
        REPORT.replace("warning[]=SSH-7408|SSH option PermitRootLogin is set to yes|-|-|\n", "").encode(),
    )
    assert Finding.objects.get(vuln_id="lynis:SSH-7408").status == FindingStatus.FIX_PROPOSED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"hostname=x\nwarning[]=A|b|-|-|\n", "不是 lynis 的报告"),
        (REPORT.replace("10.0.1.5", "192.0.2.9").encode(), "都不在方案的扫描范围内"),
        (b"lynis_version=3\n\xff\xfe\n", "不是 UTF-8"),
    ],
    ids=["not-lynis", "out-of-scope", "not-utf8"],
)
def test_a_bad_lynis_report_is_refused(people, data, message):
    plan = make_plan(people, scope="10.0.1.0/24")
    with pytest.raises(ValidationError) as refused:
        _import(people, plan, data)
    assert message in refused.value.messages[0]
    assert not Scan.objects.exists()
