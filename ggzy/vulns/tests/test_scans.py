"""Scan plans and real nmap scans of loopback (网络安全管理办法 二(一)(二)): approved
before anything runs, nothing outside the plan's scope or window, findings kept
across scans, absent ones proposed fixed for a person to confirm."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ggzy.audit.models import AuditEvent
from ggzy.audit.verify import verify_chain
from ggzy.vulns import services
from ggzy.vulns.choices import FindingStatus, PlanState, ScanState, Severity
from ggzy.vulns.models import Finding, Scan

from .conftest import make_plan

pytestmark = pytest.mark.django_db


def test_a_plan_describes_technique_scope_time_and_impact(people):
    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        services.plan_create(
            actor=people.network_admin,
            title="",
            technique="port_scan",
            scope_text="10.0.0.0/8x\nexample.com",
            ports="22,99999",
            window_start=now,
            window_end=now - dt.timedelta(hours=1),
            expected_impact="",
            rollback="停止",
        )
    errors = refused.value.message_dict
    assert {"title", "scope_text", "ports", "window_end", "expected_impact"} <= errors.keys()
    assert "example.com" in " ".join(errors["scope_text"])
    with pytest.raises(PermissionDenied):  # 二(二): the 网络管理员 writes the plan
        make_plan(type("P", (), {"network_admin": people.drafter})(), approve=False)


def test_only_the_security_admin_approves_never_their_own(people):
    plan = make_plan(people, approve=False)
    for someone in (people.network_admin, people.system_admin):
        with pytest.raises(PermissionDenied):
            services.plan_decide(plan=plan, actor=someone, approve=True)
    with pytest.raises(ValidationError):
        services.plan_decide(plan=plan, actor=people.security_admin, approve=False)  # no reason
    services.plan_decide(plan=plan, actor=people.security_admin, approve=True)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED and plan.decided_by == people.security_admin


def test_no_scan_outside_an_approved_plan(people):
    unapproved = make_plan(people, approve=False)
    with pytest.raises(ValidationError) as refused:
        services.scan_start(plan=unapproved, targets="127.0.0.1", actor=people.network_admin)
    assert "未经安全管理员批准" in " ".join(refused.value.messages)
    plan = make_plan(people)
    with pytest.raises(ValidationError) as refused:
        services.scan_start(plan=plan, targets="127.0.0.2\n10.1.0.0/24", actor=people.network_admin)
    assert "超出批准的扫描范围" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError) as refused:
        services.scan_start(
            plan=plan,
            targets="127.0.0.1",
            actor=people.network_admin,
            now=plan.window_end + dt.timedelta(minutes=1),
        )
    assert "时间窗口" in " ".join(refused.value.messages)
    with pytest.raises(PermissionDenied):
        services.scan_start(plan=plan, targets="127.0.0.1", actor=people.security_admin)
    assert not Scan.objects.exists()
    assert AuditEvent.objects.filter(action="vulns.scan.refused", outcome="failure").count() == 4


def test_a_queued_scan_past_its_window_never_runs(people):
    plan = make_plan(people, hours=1)
    scan = services.scan_start(plan=plan, targets="127.0.0.1", actor=people.network_admin)
    with time_machine.travel(plan.window_end + dt.timedelta(minutes=1)):
        scan = services.scan_run(scan=scan)
    assert scan.state == ScanState.FAILED and "时间窗口" in scan.error
    assert not scan.output and not Finding.objects.exists()


def test_nmap_finds_the_open_ports_and_a_rescan_proposes_the_closed_one_fixed(people, listeners):
    web, admin = listeners(), listeners()
    web_port, admin_port = web.getsockname()[1], admin.getsockname()[1]
    ports = f"{web_port},{admin_port}"
    plan = make_plan(people, ports=ports)
    scan = services.scan_run(
        scan=services.scan_start(plan=plan, targets="127.0.0.1", actor=people.network_admin)
    )
    assert scan.state == ScanState.DONE, scan.error
    assert scan.progress == 100 and scan.hosts_up == 1 and len(scan.output_sha256) == 64
    with scan.output.open("rb") as handle:
        assert b"<nmaprun" in handle.read()
    found = {f.port: f for f in Finding.objects.filter(host__address="127.0.0.1")}
    assert {web_port, admin_port} <= set(found)
    first = found[web_port]
    assert first.severity == Severity.INFO and first.status == FindingStatus.OPEN
    assert first.due_on == timezone.localdate() + dt.timedelta(days=365)

    # The admin listener goes away; the rescan keeps the web finding (same row) and
    # proposes the other fixed; a person confirms it.
    admin.close()
    rescan = services.scan_run(
        scan=services.scan_start(plan=plan, targets="127.0.0.1", actor=people.network_admin)
    )
    assert rescan.state == ScanState.DONE
    web_finding = Finding.objects.get(pk=first.pk)
    assert web_finding.last_scan == rescan and web_finding.first_scan == scan
    assert web_finding.status == FindingStatus.OPEN
    gone = Finding.objects.get(host__address="127.0.0.1", port=admin_port)
    assert gone.status == FindingStatus.FIX_PROPOSED
    services.finding_close(finding=gone, status=FindingStatus.FIXED, actor=people.network_admin)
    assert Finding.objects.filter(host__address="127.0.0.1", port=web_port).count() == 1
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"vulns.scan.started", "vulns.scan.finished", "vulns.finding.closed"} <= actions
    assert verify_chain().ok


def test_closing_a_finding_needs_the_right_person_and_reason(people, listeners):
    port = listeners().getsockname()[1]
    plan = make_plan(people, ports=str(port))
    services.scan_run(scan=services.scan_start(plan=plan, targets="127.0.0.1", actor=people.network_admin))
    finding = Finding.objects.get(port=port)
    services.finding_assign(finding=finding, owner=people.system_admin, actor=people.network_admin)
    with pytest.raises(ValidationError):
        services.finding_close(
            finding=finding, status=FindingStatus.FALSE_POSITIVE, actor=people.network_admin
        )
    with pytest.raises(PermissionDenied):
        services.finding_close(
            finding=finding,
            status=FindingStatus.ACCEPTED,
            note="业务需要",
            accepted_until=timezone.localdate() + dt.timedelta(days=30),
            actor=people.network_admin,
        )
    with pytest.raises(ValidationError):  # no expiry
        services.finding_close(
            finding=finding, status=FindingStatus.ACCEPTED, note="业务需要", actor=people.security_admin
        )
    services.finding_close(
        finding=finding,
        status=FindingStatus.ACCEPTED,
        note="开标系统需要此端口",
        accepted_until=timezone.localdate() + dt.timedelta(days=30),
        actor=people.security_admin,
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.ACCEPTED and finding.owner == people.system_admin
