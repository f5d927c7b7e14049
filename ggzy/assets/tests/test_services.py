"""The asset ledger (网络与系统安全维护管理制度 一): ledger kept by 信息科, assignment
history, repairs handled by 信息科 only, appraisal → approval → disposal with wipe
evidence for storage."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ggzy.accounts.models import Department
from ggzy.assets import checks, services
from ggzy.assets.choices import AssetState, RepairState
from ggzy.assets.models import Asset
from ggzy.audit.models import AuditEvent
from ggzy.vendors.tests.factories import png

from .factories import asset

pytestmark = pytest.mark.django_db


def test_only_it_keeps_the_ledger(people):
    # 一(一): 统一由中心信息科负责管理.
    for who in (people.drafter, people.dept_head, people.security_admin, people.leader):
        with pytest.raises(PermissionDenied):
            asset(who)
    laptop = asset(people.network_admin, holder=people.drafter)
    assert laptop.holder == people.drafter and laptop.state == AssetState.IN_USE
    assert laptop.department == people.drafter.department
    with pytest.raises(ValidationError) as refused:
        asset(people.network_admin, number=laptop.number)
    assert "已存在" in " ".join(refused.value.messages)


def test_asset_fields_are_validated(people):
    with pytest.raises(ValidationError) as refused:
        services.asset_create(
            data=services.AssetData(
                number="",
                kind="spaceship",
                name="",
                department=None,
                purchased_on=timezone.localdate() + dt.timedelta(days=1),
            ),
            actor=people.network_admin,
        )
    assert {"number", "kind", "name", "department", "purchased_on"} <= refused.value.message_dict.keys()


def test_assignment_history(people):
    laptop = asset(people.network_admin, holder=people.drafter)
    with pytest.raises(ValidationError):
        services.asset_assign(asset=laptop, holder=people.dept_head, actor=people.network_admin)
    services.asset_return(asset=laptop, note="完好", actor=people.network_admin)
    services.asset_assign(asset=laptop, holder=people.dept_head, actor=people.network_admin)
    laptop.refresh_from_db()
    assert laptop.holder == people.dept_head
    history = list(laptop.assignments.order_by("assigned_at").values_list("holder", "returned_at"))
    assert history[0][0] == people.drafter.pk and history[0][1] is not None
    assert history[1] == (people.dept_head.pk, None)


def test_repairs_reported_by_the_user_handled_by_it_only(people):
    laptop = asset(people.network_admin, holder=people.drafter)
    other = asset(people.network_admin)
    with pytest.raises(PermissionDenied):  # not their asset
        services.repair_report(asset=other, fault="黑屏", actor=people.drafter)
    with pytest.raises(ValidationError):
        services.repair_report(asset=laptop, fault=" ", actor=people.drafter)
    ticket = services.repair_report(asset=laptop, fault="无法开机", actor=people.drafter)
    # 一(二): 其他人不得随意卸载、处理.
    for who in (people.drafter, people.dept_head, people.machine_room_admin):
        with pytest.raises(PermissionDenied):
            services.repair_take(ticket=ticket, actor=who)
    services.repair_take(ticket=ticket, actor=people.network_admin)
    laptop.refresh_from_db()
    assert laptop.state == AssetState.REPAIR
    services.repair_resolve(ticket=ticket, resolution="更换电源适配器", actor=people.network_admin)
    ticket.refresh_from_db()
    laptop.refresh_from_db()
    assert ticket.state == RepairState.RESOLVED and laptop.state == AssetState.IN_USE


def test_disposal_appraised_approved_then_disposed_with_wipe_evidence(people):
    laptop = asset(people.network_admin, holder=people.drafter)
    with pytest.raises(ValidationError):  # still held
        services.disposal_appraise(asset=laptop, appraisal="老化", actor=people.network_admin)
    services.asset_return(asset=laptop, actor=people.network_admin)
    disposal = services.disposal_appraise(
        asset=laptop, appraisal="主板老化，性能落后", actor=people.network_admin
    )
    with pytest.raises(ValidationError):  # not approved yet
        services.disposal_record(disposal=disposal, method="scrap", actor=people.network_admin)
    with pytest.raises(PermissionDenied):
        services.disposal_approve(disposal=disposal, actor=people.network_admin)
    services.disposal_approve(disposal=disposal, actor=people.leader)
    with pytest.raises(ValidationError) as refused:
        services.disposal_record(disposal=disposal, method="scrap", actor=people.network_admin)
    assert {"wipe_method", "wipe_evidence"} <= refused.value.message_dict.keys()
    with pytest.raises(ValidationError):
        services.disposal_record(
            disposal=disposal,
            method="scrap",
            wipe_method="消磁",
            wipe_evidence=SimpleUploadedFile("证明.exe", b"MZ\x90\x00"),
            actor=people.network_admin,
        )
    services.disposal_record(
        disposal=disposal,
        method="destroy",
        wipe_method="硬盘消磁后物理粉碎",
        wipe_evidence=png("清除证明.png"),
        actor=people.network_admin,
    )
    laptop.refresh_from_db()
    disposal.refresh_from_db()
    assert laptop.state == AssetState.DISPOSED and len(disposal.wipe_evidence_sha256) == 64
    assert checks.disposals_with_wipe_evidence(today=timezone.localdate()).status == "met"


def test_a_tool_is_disposed_without_wipe_evidence(people):
    tool = asset(people.network_admin, kind="tool")
    disposal = services.disposal_appraise(asset=tool, appraisal="损坏", actor=people.network_admin)
    services.disposal_approve(disposal=disposal, actor=people.leader)
    services.disposal_record(disposal=disposal, method="scrap", actor=people.network_admin)
    assert Asset.objects.get(pk=tool.pk).state == AssetState.DISPOSED


def test_checks_repairs_and_departed_holders(people, settings):
    today = timezone.localdate()
    assert checks.repairs_handled_in_time(today=today).status == "met"
    laptop = asset(people.network_admin, holder=people.drafter)
    ticket = services.repair_report(asset=laptop, fault="蓝屏", actor=people.drafter)
    assert checks.repairs_handled_in_time(today=today).status == "due_soon"
    import time_machine

    with time_machine.travel(timezone.now() + dt.timedelta(days=2), tick=False):
        assert checks.repairs_handled_in_time(today=timezone.localdate()).status == "overdue"
    services.repair_take(ticket=ticket, actor=people.network_admin)
    services.repair_resolve(ticket=ticket, resolution="重装系统", actor=people.network_admin)
    assert checks.repairs_handled_in_time(today=today).status == "met"

    assert checks.departed_hold_no_assets(today=today).status == "met"
    people.drafter.is_active = False
    people.drafter.save(update_fields=["is_active"])
    result = checks.departed_hold_no_assets(today=today)
    assert result.status == "failing" and laptop.number in result.detail
    assert AuditEvent.objects.filter(action="assets.asset.created").exists()
    assert Department.objects.filter(code="xinxi").exists()
