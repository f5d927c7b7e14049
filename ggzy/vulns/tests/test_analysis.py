"""The joint analysis of a scan (网络安全管理办法 二(一)): drafted by the 网络管理员,
signed by three different administrators, frozen at the first signature; the yearly
check reads it."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.compliance.registry import all_checks, run_check
from ggzy.vulns import services

from .conftest import make_plan

pytestmark = pytest.mark.django_db

REPORT = (
    b'<?xml version="1.0"?><nmaprun><host><status state="up"/><address addr="10.0.1.5" addrtype="ipv4"/>'
    b'<ports><port protocol="tcp" portid="23"><state state="open"/></port></ports></host></nmaprun>'
)


def _scan(people):
    plan = make_plan(people, scope="10.0.1.0/24")
    return services.scan_import(
        plan=plan, upload=SimpleUploadedFile("scan.xml", REPORT), actor=people.network_admin
    )


def _analysis(people, scan):
    return services.analysis_save(
        scan=scan,
        actor=people.network_admin,
        summary="发现 1 台主机开放 telnet。",
        remediation_plan="一周内关闭 telnet，改用 SSH。",
    )


def _status(today):
    return run_check(all_checks()["vulns.yearly_scan_analysed"], today=today).status


def test_three_different_administrators_sign(people):
    scan = _scan(people)
    with pytest.raises(ValidationError) as refused:
        services.analysis_save(scan=scan, actor=people.network_admin, summary="", remediation_plan="")
    assert {"summary", "remediation_plan"} <= refused.value.message_dict.keys()
    with pytest.raises(PermissionDenied):
        services.analysis_save(scan=scan, actor=people.security_admin, summary="x", remediation_plan="y")
    analysis = _analysis(people, scan)
    with pytest.raises(PermissionDenied):
        services.analysis_sign(analysis=analysis, actor=people.drafter)
    analysis = services.analysis_sign(analysis=analysis, actor=people.network_admin)
    with pytest.raises(ValidationError):  # one person signs once
        services.analysis_sign(analysis=analysis, actor=people.network_admin)
    with pytest.raises(ValidationError):  # frozen at the first signature
        _analysis(people, scan)
    other_network_admin = make_user(RoleKey.NETWORK_ADMIN)
    with pytest.raises(ValidationError):  # the 网络管理员's slot is taken
        services.analysis_sign(analysis=analysis, actor=other_network_admin)
    analysis = services.analysis_sign(analysis=analysis, actor=people.system_admin)
    assert analysis.completed_at is None
    analysis = services.analysis_sign(analysis=analysis, actor=people.security_admin)
    assert analysis.completed_at is not None
    assert {analysis.network_signed_by, analysis.system_signed_by, analysis.security_signed_by} == {
        people.network_admin,
        people.system_admin,
        people.security_admin,
    }


def test_the_yearly_check_no_data_due_met_due_soon_overdue(people):
    today = timezone.localdate()
    assert _status(today) == "no_data"  # never scanned
    scan = _scan(people)
    analysis = _analysis(people, scan)
    for person in (people.network_admin, people.system_admin):
        analysis = services.analysis_sign(analysis=analysis, actor=person)
    assert _status(today) == "due_soon"  # scanned, not yet signed by all three
    services.analysis_sign(analysis=analysis, actor=people.security_admin)
    assert _status(today) == "met"
    assert _status(today + dt.timedelta(days=340)) == "due_soon"
    assert _status(today + dt.timedelta(days=366)) == "overdue"


def test_an_unfinished_scan_cannot_be_analysed(people):
    plan = make_plan(people)
    scan = services.scan_start(plan=plan, targets="127.0.0.1", actor=people.network_admin)
    with pytest.raises(ValidationError):
        _analysis(people, scan)
    with time_machine.travel(plan.window_end + dt.timedelta(minutes=1)):
        services.scan_run(scan=scan)  # failed: past its window
    with pytest.raises(ValidationError):
        _analysis(people, scan)


def test_the_analysis_exports_as_pdf_and_xlsx(people, client):
    import io

    from openpyxl import load_workbook

    from ggzy.accounts.tests.factories import login_as

    scan = _scan(people)
    analysis = _analysis(people, scan)
    services.analysis_sign(analysis=analysis, actor=people.network_admin)
    login_as(client, people.system_admin)
    pdf = client.get(f"/admin/vulns/scans/{scan.pk}/analysis.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"/admin/vulns/scans/{scan.pk}/analysis.xlsx")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert summary["结果综述"] == "发现 1 台主机开放 telnet。"
    assert summary["网络管理员签字"].startswith(people.network_admin.get_full_name() or "")
    assert summary["安全管理员签字"] == "未签字"
    findings = list(book.worksheets[1].iter_rows(values_only=True))
    assert findings[1][:2] == ("10.0.1.5", 23)
    # The system administrator signs from the scan page.
    response = client.post(f"/admin/vulns/scans/{scan.pk}/analysis/sign/")
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert analysis.system_signed_by == people.system_admin
