"""Greenbone/OpenVAS XML and the generic CSV, imported inside a plan: severities from
CVSS, the same finding across imports, absent ones proposed fixed, bad files refused
whole with the row or result named."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ggzy.incidents.models import Alert
from ggzy.vulns import services
from ggzy.vulns.choices import FindingStatus, Severity
from ggzy.vulns.models import Finding, Scan

from .conftest import make_plan

pytestmark = pytest.mark.django_db

OPENVAS = """<?xml version="1.0" encoding="UTF-8"?>
<report id="r1" format_id="a994b278"><report id="r1"><results>
{results}
</results></report></report>"""
RESULT = """<result id="{id}"><name>{name}</name>
<host>{host}<hostname>oa.jzggzy.local</hostname></host><port>{port}</port>
<nvt oid="{oid}"><name>{name}</name><cvss_base>{cvss}</cvss_base></nvt>
<threat>{threat}</threat><severity>{cvss}</severity><description>{desc}</description></result>"""


def _openvas(*results) -> SimpleUploadedFile:
    body = "\n".join(RESULT.format(**r) for r in results)
    return SimpleUploadedFile("report.xml", OPENVAS.format(results=body).encode(), content_type="text/xml")


OPENSSL = {
    "id": "1",
    "name": "OpenSSL Heartbleed",
    "host": "10.0.1.5",
    "port": "443/tcp",
    "oid": "1.3.6.1.4.1.25623.1.0.103936",
    "cvss": "9.8",
    "threat": "High",
    "desc": "Heartbleed",
}
SSH = {
    "id": "2",
    "name": "Weak SSH ciphers",
    "host": "10.0.1.5",
    "port": "22/tcp",
    "oid": "1.3.6.1.4.1.25623.1.0.105611",
    "cvss": "4.3",
    "threat": "Medium",
    "desc": "arcfour",
}


def test_openvas_results_become_findings_with_cvss_severity(people):
    plan = make_plan(people, scope="10.0.1.0/24")
    services.scan_import(plan=plan, upload=_openvas(OPENSSL, SSH), kind="openvas", actor=people.network_admin)
    heartbleed = Finding.objects.get(port=443)
    assert heartbleed.severity == Severity.CRITICAL and str(heartbleed.cvss) == "9.8"
    assert heartbleed.vuln_id == "openvas:1.3.6.1.4.1.25623.1.0.103936" and heartbleed.host.hostname
    assert Finding.objects.get(port=22).severity == Severity.MEDIUM
    # 二(一) 立即上报: a critical finding raised an alert at once.
    assert Alert.objects.filter(source="vulns").count() == 1
    # The next report no longer has the weak ciphers: the same Heartbleed row, ciphers proposed fixed.
    services.scan_import(plan=plan, upload=_openvas(OPENSSL), kind="openvas", actor=people.network_admin)
    assert Finding.objects.count() == 2
    assert Finding.objects.get(port=22).status == FindingStatus.FIX_PROPOSED
    assert Finding.objects.get(port=443).status == FindingStatus.OPEN


def test_a_bad_cvss_refuses_the_whole_openvas_report(people):
    plan = make_plan(people, scope="10.0.1.0/24")
    with pytest.raises(ValidationError) as refused:
        services.scan_import(
            plan=plan,
            upload=_openvas(OPENSSL, {**SSH, "cvss": "11"}),
            kind="openvas",
            actor=people.network_admin,
        )
    assert "第 2 条结果" in refused.value.messages[0]
    assert not Finding.objects.exists() and not Scan.objects.exists()


CSV = (
    "\ufeffhost,port,protocol,vuln_id,title,severity,cvss,detail\n"
    "10.0.1.7,3306,tcp,MYSQL-WEAK-PW,MySQL 弱口令,high,7.5,root 口令为 123456\n"
    "10.0.1.7,,,OS-EOL,操作系统已停止支持,medium,,CentOS 7\n"
)


def test_the_generic_csv(people):
    plan = make_plan(people, scope="10.0.1.0/24")
    scan = services.scan_import(
        plan=plan, upload=SimpleUploadedFile("r.csv", CSV.encode()), kind="csv", actor=people.network_admin
    )
    assert scan.output.name.endswith(".csv")
    weak = Finding.objects.get(vuln_id="csv:MYSQL-WEAK-PW")
    assert (weak.port, weak.severity, str(weak.cvss)) == (3306, Severity.HIGH, "7.5")
    assert Finding.objects.get(vuln_id="csv:OS-EOL").port == 0  # the host itself


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("host,title\n10.0.1.7,x\n", "CSV 缺少列"),
        ("host,vuln_id,title,severity\n10.0.1.7,A,x,urgent\n", "第 2 行：等级应为"),
        ("host,vuln_id,title,severity\noa.local,A,x,high\n", "第 2 行：主机应为 IP 地址"),
        ("host,vuln_id,title,severity,port\n10.0.1.7,A,x,high,99999\n", "第 2 行：端口应为"),
        ("host,vuln_id,title,severity\n10.0.9.7,A,x,high\n", "超出方案的扫描范围"),
    ],
    ids=["columns", "severity", "host", "port", "scope"],
)
def test_a_bad_csv_is_refused_whole(people, text, message):
    plan = make_plan(people, scope="10.0.1.0/24")
    with pytest.raises(ValidationError) as refused:
        services.scan_import(
            plan=plan,
            upload=SimpleUploadedFile("r.csv", text.encode()),
            kind="csv",
            actor=people.network_admin,
        )
    assert message in refused.value.messages[0]
    assert not Finding.objects.exists() and not Scan.objects.exists()


def test_a_csv_in_another_encoding_is_refused(people):
    plan = make_plan(people, scope="10.0.1.0/24")
    with pytest.raises(ValidationError) as refused:
        services.scan_import(
            plan=plan,
            upload=SimpleUploadedFile("r.csv", CSV.encode("gb18030")),
            kind="csv",
            actor=people.network_admin,
        )
    assert "UTF-8" in refused.value.messages[0]
