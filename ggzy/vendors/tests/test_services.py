"""The vendor services (技术服务外包、维护管理制度): who may act, what is refused,
what is recorded."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.facility import services as facility
from ggzy.facility.choices import RoomKind
from ggzy.facility.choices import VisitState as FacilityVisitState
from ggzy.facility.models import Visit as FacilityVisit
from ggzy.vendors import services
from ggzy.vendors.choices import RequestState, UpgradeState, VisitState
from ggzy.vendors.models import Contract, Vendor, VendorStaff, Visit

from .factories import ID_NUMBERS, approved_request, contract, credit_code, png, staff, vendor, visit

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- 一、二


def test_request_needs_one_of_the_three_factors(people):
    with pytest.raises(ValidationError) as refused:
        services.outsourcing_request_submit(
            title="网站运维",
            scope="门户网站运维",
            reason="人手不足",
            lacks_capability=False,
            lowers_cost=False,
            more_benefit=False,
            actor=people.dept_head,
        )
    assert "三个因素" in " ".join(refused.value.messages)


def test_only_a_department_head_files_and_only_the_director_approves(people):
    with pytest.raises(PermissionDenied):
        services.outsourcing_request_submit(
            title="x",
            scope="x",
            reason="x",
            lacks_capability=True,
            lowers_cost=False,
            more_benefit=False,
            actor=people.drafter,
        )
    request = services.outsourcing_request_submit(
        title="等保测评",
        scope="三级等保测评",
        reason="需有资质的测评机构",
        lacks_capability=True,
        lowers_cost=False,
        more_benefit=True,
        actor=people.dept_head,
    )
    assert request.department == people.dept_head.department
    for who in (people.leader, people.it_head, people.security_admin, people.network_admin):
        with pytest.raises(PermissionDenied):
            services.outsourcing_request_decide(request=request, approve=True, actor=who)
    with pytest.raises(ValidationError):
        services.outsourcing_request_decide(request=request, approve=False, actor=people.director)
    services.outsourcing_request_decide(request=request, approve=True, note="同意", actor=people.director)
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED and request.decided_by == people.director
    assert AuditEvent.objects.filter(action="vendors.request.decided", object_id=str(request.pk)).exists()


def test_nothing_is_contracted_before_the_director_approved(people):
    the_vendor = vendor(people)
    pending = services.outsourcing_request_submit(
        title="综合布线",
        scope="三楼布线",
        reason="无施工资质",
        lacks_capability=True,
        lowers_cost=False,
        more_benefit=False,
        actor=people.dept_head,
    )
    with pytest.raises(ValidationError) as refused:
        services.selection_record(
            request=pending,
            method="tender",
            held_on=timezone.localdate(),
            participants="甲、乙",
            vendor=the_vendor,
            summary="招标",
            actor=people.network_admin,
        )
    assert "未经中心主任批准" in " ".join(refused.value.messages)


def test_selection_is_by_tender_or_negotiation(people):
    with pytest.raises(ValidationError) as refused:
        services.selection_record(
            request=approved_request(people),
            method="direct",
            held_on=timezone.localdate(),
            participants="甲",
            vendor=vendor(people),
            summary="直接指定",
            actor=people.network_admin,
        )
    assert "招标或竞争性谈判" in " ".join(refused.value.messages)


def test_contract_with_files_through_the_upload_gate(people):
    the_vendor = vendor(people)
    the_contract = contract(people, the_vendor)
    assert the_contract.vendor == the_vendor and the_contract.value == Decimal("48000.00")
    selection = the_contract.selection
    with pytest.raises(ValidationError) as refused:
        services.contract_create(
            selection=selection,
            number="HT-X",
            title="t",
            scope="s",
            sla="s",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2025, 1, 1),
            value=Decimal("-1"),
            uploads=[SimpleUploadedFile("合同.exe", b"MZ\x90\x00binary")],
            actor=people.network_admin,
        )
    errors = refused.value.message_dict
    assert {"ends_on", "value", "uploads"} <= errors.keys()
    assert not Contract.objects.filter(number="HT-X").exists()
    signed = services.contract_create(
        selection=selection,
        number="HT-Y",
        title="t",
        scope="s",
        sla="s",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        value=Decimal("1000"),
        uploads=[png("合同扫描.png")],
        actor=people.network_admin,
    )
    stored = signed.files.get()
    assert stored.file_name == "合同扫描.png" and len(stored.file_sha256) == 64


# --------------------------------------------------------------------------- vendors, staff


def test_vendor_credit_code_is_checked_with_gb_32100(people):
    good = credit_code()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as refused:
        services.vendor_create(name="某公司", credit_code=bad, actor=people.network_admin)
    assert "校验位错误" in " ".join(refused.value.messages)
    created = services.vendor_create(name="某公司", credit_code=good.lower(), actor=people.network_admin)
    assert created.credit_code == good
    with pytest.raises(ValidationError):
        services.vendor_create(name="重复", credit_code=good, actor=people.network_admin)
    with pytest.raises(PermissionDenied):
        services.vendor_create(name="x", credit_code=credit_code(), actor=people.drafter)
    assert Vendor.objects.count() == 1


def test_staff_id_number_is_checked_and_kept_masked(people):
    the_vendor = vendor(people)
    with pytest.raises(ValidationError) as refused:
        services.vendor_staff_add(
            vendor=the_vendor, name="李工", id_number="110105194912310021", actor=people.network_admin
        )
    assert "身份证号码无效" in " ".join(refused.value.messages)
    person = staff(people, the_vendor)
    assert person.id_number_masked == "110*************2X"
    row = VendorStaff.objects.filter(pk=person.pk).values().get()
    assert ID_NUMBERS[0] not in str(row) and len(row["id_number_digest"]) == 64
    event = AuditEvent.objects.get(action="vendors.staff.added")
    assert ID_NUMBERS[0] not in str(event.extra) and "110*************2X" in str(event.extra)
    with pytest.raises(ValidationError):  # the same person twice, recognised by the digest
        services.vendor_staff_add(
            vendor=the_vendor, name="王工", id_number=ID_NUMBERS[0].lower(), actor=people.network_admin
        )


# --------------------------------------------------------------------------- 七


def test_evaluation_scores_each_criterion_within_its_maximum(people):
    the_vendor = vendor(people)
    with pytest.raises(ValidationError) as refused:
        services.evaluation_record(
            vendor=the_vendor,
            period="2026Q4",
            scores={"quality": 31, "timeliness": 20, "safety": 20},
            actor=people.network_admin,
        )
    errors = refused.value.message_dict
    assert "quality" in errors and "cooperation" in errors
    passed = services.evaluation_record(
        vendor=the_vendor,
        period="2026Q3",
        scores={"quality": 28, "timeliness": 20, "safety": 22, "cooperation": 18},
        actor=people.network_admin,
    )
    failed = services.evaluation_record(
        vendor=the_vendor,
        period="2026Q4",
        scores={"quality": 10, "timeliness": 10, "safety": 20, "cooperation": 10},
        actor=people.network_admin,
    )
    assert (passed.total, passed.passed) == (88, True)
    assert (failed.total, failed.passed) == (50, False)
    history = list(the_vendor.evaluations.values_list("period", "total", "passed"))
    assert sorted(history) == [("2026Q3", 88, True), ("2026Q4", 50, False)]


# --------------------------------------------------------------------------- 九


def test_visit_needs_the_letter_and_the_id(people):
    person = staff(people, vendor(people))
    with pytest.raises(ValidationError) as refused:
        services.visit_request(
            staff=person,
            purpose="巡检",
            planned_on=timezone.localdate(),
            letter=None,
            id_document=SimpleUploadedFile("id.exe", b"MZ\x90\x00"),
            actor=people.network_admin,
        )
    errors = refused.value.message_dict
    assert "介绍信" in " ".join(errors["letter"]) and "不接受此类文件" in " ".join(errors["id_document"])
    assert not Visit.objects.exists()


def test_no_approval_no_entry(people):
    the_visit = visit(people)
    # Requested only: the register refuses the arrival, and the refusal is audited.
    with pytest.raises(ValidationError) as refused:
        services.visit_arrive(
            visit=the_visit, escort=people.network_admin, rooms="机房", actor=people.machine_room_admin
        )
    assert "不得进入现场" in " ".join(refused.value.messages)
    assert AuditEvent.objects.filter(action="vendors.visit.entry_refused", outcome="failure").count() == 1
    # The 网络管理员 reviews, nobody else.
    with pytest.raises(PermissionDenied):
        services.visit_review(visit=the_visit, approve=True, actor=people.it_head)
    services.visit_review(visit=the_visit, approve=True, actor=people.network_admin)
    with pytest.raises(ValidationError):  # reviewed, not yet approved
        services.visit_arrive(
            visit=the_visit, escort=people.network_admin, rooms="机房", actor=people.machine_room_admin
        )
    # Only the head of 信息科 approves: another department's head is refused.
    with pytest.raises(PermissionDenied):
        services.visit_approve(visit=the_visit, approve=True, actor=people.dept_head)
    services.visit_approve(visit=the_visit, approve=True, actor=people.it_head)
    with pytest.raises(ValidationError) as refused:
        services.visit_arrive(visit=the_visit, escort=None, rooms="", actor=people.machine_room_admin)
    assert {"escort", "rooms"} <= refused.value.message_dict.keys()
    services.visit_arrive(
        visit=the_visit, escort=people.network_admin, rooms="机房", actor=people.machine_room_admin
    )
    services.visit_depart(visit=the_visit, work_done="更换电源模块", actor=people.machine_room_admin)
    the_visit.refresh_from_db()
    assert the_visit.state == VisitState.DONE and the_visit.rooms == "机房" and the_visit.departed_at


def test_a_rejected_visit_never_enters(people):
    the_visit = visit(people)
    with pytest.raises(ValidationError):
        services.visit_review(visit=the_visit, approve=False, actor=people.network_admin)  # no reason
    services.visit_review(visit=the_visit, approve=False, note="介绍信无公章", actor=people.network_admin)
    with pytest.raises(ValidationError):
        services.visit_arrive(
            visit=the_visit, escort=people.network_admin, rooms="机房", actor=people.network_admin
        )


def test_machine_rooms_entered_go_into_the_facility_visitor_register(people):
    """九 with 网络机房管理制度 二(八)、三(四)(五): the 信息科负责人's approval of the visit is the
    machine room's (they are its responsible person); the monitoring room awaits its own
    head; the keeper still checks the ID at the door; the engineer cannot be signed out
    of the center while the register shows them inside a room."""
    keeper = people.machine_room_admin
    machine = facility.room_create(name="中心机房", kind=RoomKind.MACHINE_ROOM, actor=keeper)
    monitoring = facility.room_create(name="监控室", kind=RoomKind.MONITORING_ROOM, actor=keeper)
    the_visit = visit(people)
    services.visit_review(visit=the_visit, approve=True, actor=people.network_admin)
    services.visit_approve(visit=the_visit, approve=True, actor=people.it_head)
    services.visit_arrive(
        visit=the_visit,
        escort=people.network_admin,
        rooms="中心机房、监控室",
        machine_rooms=[machine, monitoring],
        actor=keeper,
    )
    entries = {entry.room.name: entry for entry in the_visit.room_entries.select_related("room")}
    assert set(entries) == {"中心机房", "监控室"}
    in_machine_room, in_monitoring_room = entries["中心机房"], entries["监控室"]
    assert (in_machine_room.state, in_machine_room.decided_by) == (
        FacilityVisitState.APPROVED,
        people.it_head,
    )
    assert f"上门服务 #{the_visit.pk}" in in_machine_room.decision_note
    assert (in_machine_room.visitor, in_machine_room.company) == ("王工", the_visit.vendor.name)
    assert in_monitoring_room.state == FacilityVisitState.REQUESTED and in_monitoring_room.decided_by is None
    assert AuditEvent.objects.filter(action="facility.visit.requested").count() == 2

    # The door: the ID and the overshoes, then inside; the monitoring room is not approved.
    with pytest.raises(ValidationError):
        facility.visit_enter(visit=in_machine_room, actor=keeper, id_checked=False, overshoes=True)
    facility.visit_enter(visit=in_machine_room, actor=keeper, id_checked=True, overshoes=True)
    watcher = make_user(RoleKey.MONITORING_ADMIN)  # the monitoring room's keeper
    with pytest.raises(ValidationError):
        facility.visit_enter(visit=in_monitoring_room, actor=watcher, id_checked=True, overshoes=True)

    with pytest.raises(ValidationError) as refused:
        services.visit_depart(visit=the_visit, work_done="更换电源模块", actor=keeper)
    assert "仍在中心机房内" in " ".join(refused.value.messages)
    the_visit.refresh_from_db()
    assert the_visit.state == VisitState.ON_SITE
    facility.visit_leave(visit=in_machine_room, actor=keeper)
    services.visit_depart(visit=the_visit, work_done="更换电源模块", actor=keeper)
    the_visit.refresh_from_db()
    assert the_visit.state == VisitState.DONE


def test_a_refused_arrival_writes_nothing_to_the_visitor_register(people):
    machine = facility.room_create(
        name="中心机房", kind=RoomKind.MACHINE_ROOM, actor=people.machine_room_admin
    )
    the_visit = visit(people)  # requested, not approved
    with pytest.raises(ValidationError):
        services.visit_arrive(
            visit=the_visit,
            escort=people.network_admin,
            rooms="中心机房",
            machine_rooms=[machine],
            actor=people.machine_room_admin,
        )
    assert not FacilityVisit.objects.exists()


# --------------------------------------------------------------------------- 十


def test_remote_session_with_its_log_and_sha256(people):
    person = staff(people, vendor(people))
    now = timezone.now()
    log = SimpleUploadedFile("session.txt", "2026-12-03 10:00 登录 OA\n10:20 升级补丁\n".encode())
    session = services.remote_session_record(
        staff=person,
        started_at=now - dt.timedelta(hours=1),
        ended_at=now,
        source="VPN 10.8.0.23",
        systems="OA 系统",
        work_done="安装补丁",
        upload=log,
        actor=people.network_admin,
    )
    import hashlib

    assert (
        session.file_sha256
        == hashlib.sha256("2026-12-03 10:00 登录 OA\n10:20 升级补丁\n".encode()).hexdigest()
    )
    with pytest.raises(ValidationError):
        services.remote_session_record(
            staff=person,
            started_at=now,
            ended_at=now - dt.timedelta(hours=1),
            source="x",
            systems="x",
            work_done="x",
            actor=people.network_admin,
        )
    with pytest.raises(PermissionDenied):
        services.remote_session_record(
            staff=person,
            started_at=now - dt.timedelta(hours=1),
            ended_at=now,
            source="x",
            systems="x",
            work_done="x",
            actor=people.machine_room_admin,
        )


def _upgrade(people):
    return services.upgrade_file(
        vendor=vendor(people),
        system="电子交易系统",
        from_version="3.2",
        to_version="3.3",
        details="修复开标模块缺陷",
        planned_at=timezone.now() + dt.timedelta(days=2),
        actor=people.network_admin,
    )


def test_upgrade_filed_reviewed_approved_executed_result(people):
    upgrade = _upgrade(people)
    with pytest.raises(ValidationError):  # the leader before 信息科
        services.upgrade_decide(upgrade=upgrade, approve=True, actor=people.leader)
    with pytest.raises(PermissionDenied):
        services.upgrade_review(upgrade=upgrade, approve=True, actor=people.dept_head)
    services.upgrade_review(upgrade=upgrade, approve=True, actor=people.it_head)
    with pytest.raises(PermissionDenied):
        services.upgrade_decide(upgrade=upgrade, approve=True, actor=people.director)
    services.upgrade_decide(upgrade=upgrade, approve=True, actor=people.leader)
    services.upgrade_executed(upgrade=upgrade, executed_at=timezone.now(), actor=people.network_admin)
    services.upgrade_result(upgrade=upgrade, result="success", actor=people.network_admin)
    upgrade.refresh_from_db()
    assert upgrade.state == UpgradeState.DONE and not upgrade.executed_before_approval


def test_an_upgrade_executed_before_approval_is_a_finding(people):
    upgrade = _upgrade(people)
    services.upgrade_review(upgrade=upgrade, approve=True, actor=people.it_head)
    services.upgrade_executed(upgrade=upgrade, executed_at=timezone.now(), actor=people.network_admin)
    upgrade.refresh_from_db()
    assert upgrade.executed_before_approval
    assert AuditEvent.objects.get(action="vendors.upgrade.executed").outcome == "failure"
    with pytest.raises(PermissionDenied):
        services.upgrade_finding_resolve(upgrade=upgrade, note="已约谈", actor=people.network_admin)
    services.upgrade_finding_resolve(
        upgrade=upgrade, note="已约谈供应商并补办手续", actor=people.security_admin
    )
