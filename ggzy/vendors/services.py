"""Writes for outsourcing and vendor service (技术服务外包、维护管理制度).

Every function is keyword-only, atomic, checks who may act and what is valid,
then records its audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import User
from ggzy.audit import services as audit
from ggzy.audit.choices import Outcome
from ggzy.core.credit_code import validate_credit_code
from ggzy.facility import selectors as facility_selectors
from ggzy.facility import services as facility
from ggzy.screening.rules import is_resident_id, mask_sensitive

from . import rules
from .choices import (
    EVALUATION_CRITERIA,
    EVALUATION_PASS_MARK,
    RequestState,
    SelectionMethod,
    UpgradeResult,
    UpgradeState,
    VisitState,
)
from .files import DOCUMENT_KINDS, SCAN_KINDS, SESSION_LOG_KINDS, checked_upload
from .models import (
    Contract,
    ContractFile,
    OutsourcingRequest,
    RemoteSession,
    SelectionRecord,
    UpgradeFiling,
    Vendor,
    VendorEvaluation,
    VendorStaff,
    Visit,
)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _text(value: str, label: str, *, errors: dict, key: str) -> str:
    value = (value or "").strip()
    if not value:
        errors[key] = _("请填写%(label)s。") % {"label": label}
    return value


# --------------------------------------------------------------------------- 一、二: requests


@transaction.atomic
def outsourcing_request_submit(
    *,
    title: str,
    scope: str,
    reason: str,
    lacks_capability: bool,
    lowers_cost: bool,
    more_benefit: bool,
    actor: User,
) -> OutsourcingRequest:
    """一: the responsible department's head files the request; 二: it must hold at
    least one of the three factors and explain them."""
    _require(rules.may_file_request(actor), _("只有主管部门的科室负责人可以提出业务外包申请。"))
    errors: dict = {}
    title = _text(title, _("外包项目"), errors=errors, key="title")
    scope = _text(scope, _("外包范围"), errors=errors, key="scope")
    reason = _text(reason, _("理由说明"), errors=errors, key="reason")
    if not (lacks_capability or lowers_cost or more_benefit):
        errors["lacks_capability"] = _(
            "业务外包应至少符合三个因素之一：本单位没有所需设备、专业人员或技术；降低成本；产生更多利益"
            "（技术服务外包、维护管理制度 二）。"
        )
    if errors:
        raise ValidationError(errors)
    request = OutsourcingRequest.objects.create(
        department=actor.department,
        title=title,
        scope=scope,
        reason=reason,
        lacks_capability=lacks_capability,
        lowers_cost=lowers_cost,
        more_benefit=more_benefit,
        requested_by=actor,
    )
    audit.record(
        action="vendors.request.submitted", actor=actor, obj=request, department=str(actor.department)
    )
    return request


@transaction.atomic
def outsourcing_request_decide(
    *, request: OutsourcingRequest, approve: bool, note: str = "", actor: User
) -> OutsourcingRequest:
    """一: only the 中心主任 approves; a refusal needs a reason."""
    _require(rules.may_decide_request(actor), _("只有中心主任可以批准业务外包申请。"))
    request = OutsourcingRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != RequestState.SUBMITTED:
        raise ValidationError(_("该申请已批示，不能重复办理。"))
    if request.requested_by_id == actor.pk:
        raise PermissionDenied(_("不能批示本人提出的申请。"))
    if not approve and not note.strip():
        raise ValidationError({"note": _("不批准时请写明理由。")})
    request.state = RequestState.APPROVED if approve else RequestState.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note.strip()
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit.record(action="vendors.request.decided", actor=actor, obj=request, approved=approve)
    return request


# --------------------------------------------------------------------------- vendors, staff


@transaction.atomic
def vendor_create(
    *, name: str, credit_code: str, contact: str = "", phone: str = "", address: str = "", actor: User
) -> Vendor:
    _require(rules.may_manage_vendors(actor), _("无权登记外包承包商。"))
    errors: dict = {}
    name = _text(name, _("单位名称"), errors=errors, key="name")
    code = (credit_code or "").strip().upper()
    try:
        validate_credit_code(code)
    except ValidationError as exc:
        errors["credit_code"] = exc.messages
    else:
        if Vendor.objects.filter(credit_code=code).exists():
            errors["credit_code"] = _("该统一社会信用代码的承包商已登记。")
    if errors:
        raise ValidationError(errors)
    vendor = Vendor.objects.create(
        name=name,
        credit_code=code,
        contact=contact.strip(),
        phone=phone.strip(),
        address=address.strip(),
        created_by=actor,
    )
    audit.record(action="vendors.vendor.created", actor=actor, obj=vendor, credit_code=code)
    return vendor


def id_number_digest(number: str) -> str:
    """A keyed digest of the normalised ID number: recognises the same person
    without keeping the number (HMAC-SHA256 under the site's secret key)."""
    key = hashlib.sha256(b"ggzy.vendors.staff:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def vendor_staff_add(
    *, vendor: Vendor, name: str, id_number: str, role: str = "", phone: str = "", actor: User
) -> VendorStaff:
    """The engineer's ID number is checked (GB 11643 check digit, the screening
    rule) and kept only masked, with a keyed digest."""
    _require(rules.may_manage_vendors(actor), _("无权登记承包商人员。"))
    errors: dict = {}
    name = _text(name, _("姓名"), errors=errors, key="name")
    number = "".join((id_number or "").split()).upper()
    digest = ""
    if not is_resident_id(number):
        errors["id_number"] = _("身份证号码无效（18位，校验位或出生日期不正确）。")
    else:
        digest = id_number_digest(number)
        if VendorStaff.objects.filter(vendor=vendor, id_number_digest=digest).exists():
            errors["id_number"] = _("该人员已在此承包商登记。")
    if errors:
        raise ValidationError(errors)
    staff = VendorStaff.objects.create(
        vendor=vendor,
        name=name,
        id_number_masked=mask_sensitive(number),
        id_number_digest=digest,
        role=role.strip(),
        phone=phone.strip(),
    )
    # The audit data names the person by the masked number only.
    audit.record(
        action="vendors.staff.added",
        actor=actor,
        obj=staff,
        vendor=vendor.name,
        id_number=staff.id_number_masked,
    )
    return staff


# --------------------------------------------------------------------------- 六: selection, contracts


def _approved(request: OutsourcingRequest) -> None:
    if request.state != RequestState.APPROVED:
        raise ValidationError(
            _("业务外包申请“%(title)s”未经中心主任批准，不能对外发包（技术服务外包、维护管理制度 一）。")
            % {"title": request.title}
        )


@transaction.atomic
def selection_record(
    *,
    request: OutsourcingRequest,
    method: str,
    held_on: dt.date,
    participants: str,
    vendor: Vendor,
    summary: str,
    upload=None,
    actor: User,
) -> SelectionRecord:
    """六: the vendor is chosen by 招标 or 竞争性谈判, for an approved request."""
    _require(rules.may_manage_vendors(actor), _("无权登记选定承包商记录。"))
    _approved(request)
    errors: dict = {}
    if method not in SelectionMethod.values:
        errors["method"] = _("选定方式只能是招标或竞争性谈判（技术服务外包、维护管理制度 六）。")
    participants = _text(participants, _("参与单位"), errors=errors, key="participants")
    summary = _text(summary, _("过程与结果"), errors=errors, key="summary")
    if held_on and held_on > timezone.localdate():
        errors["held_on"] = _("日期不能晚于今天。")
    content = check = None
    if upload is not None:
        try:
            content, check = checked_upload(upload, allowed=DOCUMENT_KINDS)
        except ValidationError as exc:
            errors["upload"] = exc.messages
    if errors:
        raise ValidationError(errors)
    record = SelectionRecord(
        request=request,
        method=method,
        held_on=held_on,
        participants=participants,
        vendor=vendor,
        summary=summary,
        recorded_by=actor,
    )
    if content is not None:
        record.file.save(content.name, content, save=False)
        record.file_name, record.file_sha256 = check.name, check.sha256
    record.save()
    audit.record(
        action="vendors.selection.recorded", actor=actor, obj=record, method=method, vendor=vendor.name
    )
    return record


@transaction.atomic
def contract_create(
    *,
    selection: SelectionRecord,
    number: str,
    title: str,
    scope: str,
    sla: str,
    starts_on: dt.date,
    ends_on: dt.date,
    value: Decimal,
    uploads=(),
    actor: User,
) -> Contract:
    """六: the contract with the chosen vendor, only for an approved request."""
    _require(rules.may_manage_vendors(actor), _("无权登记外包合同。"))
    _approved(selection.request)
    errors: dict = {}
    number = _text(number, _("合同编号"), errors=errors, key="number")
    title = _text(title, _("合同名称"), errors=errors, key="title")
    scope = _text(scope, _("服务范围"), errors=errors, key="scope")
    sla = _text(sla, _("服务水平（SLA）"), errors=errors, key="sla")
    if number and Contract.objects.filter(number=number).exists():
        errors["number"] = _("合同编号已存在。")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("终止日期不能早于起始日期。")
    if value is None or value <= 0:
        errors["value"] = _("合同金额应大于零。")
    stored = []
    for upload in uploads:
        try:
            stored.append(checked_upload(upload, allowed=DOCUMENT_KINDS))
        except ValidationError as exc:
            errors.setdefault("uploads", []).extend(
                f"{getattr(upload, 'name', '')}：{message}" for message in exc.messages
            )
    if errors:
        raise ValidationError(errors)
    contract = Contract.objects.create(
        vendor=selection.vendor,
        request=selection.request,
        selection=selection,
        number=number,
        title=title,
        scope=scope,
        sla=sla,
        starts_on=starts_on,
        ends_on=ends_on,
        value=value,
        created_by=actor,
    )
    for content, check in stored:
        item = ContractFile(
            contract=contract, uploaded_by=actor, file_name=check.name, file_sha256=check.sha256
        )
        item.file.save(content.name, content, save=False)
        item.save()
    audit.record(
        action="vendors.contract.created",
        actor=actor,
        obj=contract,
        vendor=contract.vendor.name,
        value=str(value),
        files=[check.sha256 for _c, check in stored],
    )
    return contract


# --------------------------------------------------------------------------- 七: evaluation


@transaction.atomic
def evaluation_record(
    *,
    vendor: Vendor,
    period: str,
    scores: dict[str, int],
    comment: str = "",
    contract: Contract | None = None,
    evaluated_on: dt.date | None = None,
    actor: User,
) -> VendorEvaluation:
    """七: the vendor scored on every criterion of the checklist, within its maximum."""
    _require(rules.may_manage_vendors(actor), _("无权登记承包商考核。"))
    errors: dict = {}
    period = _text(period, _("考核期间"), errors=errors, key="period")
    clean = {}
    for key, label, maximum in EVALUATION_CRITERIA:
        value = scores.get(key)
        if value is None or value == "":
            errors[key] = _("请为“%(label)s”评分。") % {"label": label}
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            errors[key] = _("“%(label)s”的评分应为整数。") % {"label": label}
            continue
        if not 0 <= value <= maximum:
            errors[key] = _("“%(label)s”的评分应在0到%(max)s之间。") % {"label": label, "max": maximum}
            continue
        clean[key] = value
    if contract is not None and contract.vendor_id != vendor.pk:
        errors["contract"] = _("合同不属于该承包商。")
    evaluated_on = evaluated_on or timezone.localdate()
    if evaluated_on > timezone.localdate():
        errors["evaluated_on"] = _("考核日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    total = sum(clean.values())
    evaluation = VendorEvaluation.objects.create(
        vendor=vendor,
        contract=contract,
        period=period,
        scores=clean,
        total=total,
        passed=total >= EVALUATION_PASS_MARK,
        comment=comment.strip(),
        evaluated_by=actor,
        evaluated_on=evaluated_on,
    )
    audit.record(
        action="vendors.evaluation.recorded", actor=actor, obj=evaluation, vendor=vendor.name, total=total
    )
    return evaluation


# --------------------------------------------------------------------------- 九: on-site visits


@transaction.atomic
def visit_request(
    *, staff: VendorStaff, purpose: str, planned_on: dt.date, letter, id_document, actor: User
) -> Visit:
    """九: the request carries the vendor's 介绍信 and the engineer's ID document,
    both through the upload gate."""
    _require(rules.may_request_visit(actor), _("无权申请上门服务。"))
    errors: dict = {}
    purpose = _text(purpose, _("服务内容"), errors=errors, key="purpose")
    if not staff.active:
        errors["staff"] = _("该人员已不在岗。")
    if planned_on and planned_on < timezone.localdate():
        errors["planned_on"] = _("计划日期不能早于今天。")
    files = {}
    for key, upload, label in (
        ("letter", letter, _("单位介绍信")),
        ("id_document", id_document, _("身份证明")),
    ):
        if upload is None:
            errors[key] = _("请上传%(label)s（技术服务外包、维护管理制度 九）。") % {"label": label}
            continue
        try:
            files[key] = checked_upload(upload, allowed=SCAN_KINDS)
        except ValidationError as exc:
            errors[key] = exc.messages
    if errors:
        raise ValidationError(errors)
    visit = Visit(
        vendor=staff.vendor,
        staff=staff,
        purpose=purpose,
        planned_on=planned_on,
        requested_by=actor,
        letter_sha256=files["letter"][1].sha256,
        id_document_sha256=files["id_document"][1].sha256,
    )
    visit.letter.save(files["letter"][0].name, files["letter"][0], save=False)
    visit.id_document.save(files["id_document"][0].name, files["id_document"][0], save=False)
    visit.save()
    audit.record(
        action="vendors.visit.requested",
        actor=actor,
        obj=visit,
        vendor=staff.vendor.name,
        staff=staff.name,
        id_number=staff.id_number_masked,
    )
    return visit


def _locked_visit(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().select_related("staff", "vendor").get(pk=visit.pk)


@transaction.atomic
def visit_review(*, visit: Visit, approve: bool, note: str = "", actor: User) -> Visit:
    """九: the 网络管理员 checks the letter and the ID against the person."""
    _require(rules.may_review_visit(actor), _("只有网络管理员可以审核上门服务申请。"))
    visit = _locked_visit(visit)
    if visit.state != VisitState.REQUESTED:
        raise ValidationError(_("该申请不在待审核状态。"))
    if not approve and not note.strip():
        raise ValidationError({"note": _("不通过时请写明理由。")})
    visit.state = VisitState.REVIEWED if approve else VisitState.REJECTED
    visit.reviewed_by, visit.reviewed_at = actor, timezone.now()
    visit.decision_note = note.strip()
    visit.save(update_fields=["state", "reviewed_by", "reviewed_at", "decision_note"])
    audit.record(action="vendors.visit.reviewed", actor=actor, obj=visit, approved=approve)
    return visit


@transaction.atomic
def visit_approve(*, visit: Visit, approve: bool, note: str = "", actor: User) -> Visit:
    """九: the 信息科负责人 approves, after the review, and not their own request."""
    _require(rules.is_it_head(actor), _("只有信息科负责人可以批准上门服务。"))
    visit = _locked_visit(visit)
    if visit.state != VisitState.REVIEWED:
        raise ValidationError(_("该申请尚未经网络管理员审核，或已办理。"))
    if actor.pk in (visit.requested_by_id, visit.reviewed_by_id):
        raise PermissionDenied(_("申请人或审核人不能批准同一申请。"))
    if not approve and not note.strip():
        raise ValidationError({"note": _("不批准时请写明理由。")})
    visit.state = VisitState.APPROVED if approve else VisitState.REJECTED
    visit.approved_by, visit.approved_at = actor, timezone.now()
    if note.strip():
        visit.decision_note = "\n".join(filter(None, [visit.decision_note, note.strip()]))
    visit.save(update_fields=["state", "approved_by", "approved_at", "decision_note"])
    audit.record(action="vendors.visit.decided", actor=actor, obj=visit, approved=approve)
    return visit


def visit_arrive(
    *,
    visit: Visit,
    escort: User,
    rooms: str,
    machine_rooms=(),
    arrived_at: dt.datetime | None = None,
    actor: User,
):
    """九: no approval, no entry record. A refused attempt is audited on its own.
    The machine rooms to be entered go into the facility's visitor register."""
    try:
        return _visit_arrive(
            visit=visit,
            escort=escort,
            rooms=rooms,
            machine_rooms=machine_rooms,
            arrived_at=arrived_at,
            actor=actor,
        )
    except (ValidationError, PermissionDenied) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        with transaction.atomic():
            audit.record(
                action="vendors.visit.entry_refused",
                actor=actor,
                obj=visit,
                outcome=Outcome.FAILURE,
                reason=reason[:500],
            )
        raise


@transaction.atomic
def _visit_arrive(*, visit, escort, rooms, machine_rooms, arrived_at, actor) -> Visit:
    _require(rules.may_log_visit(actor), _("只有网络管理员或机房管理员可以登记上门人员进入现场。"))
    visit = _locked_visit(visit)
    if visit.state != VisitState.APPROVED:
        raise ValidationError(
            _(
                "该上门服务未经网络管理员审核、信息科负责人批准，不得进入现场"
                "（技术服务外包、维护管理制度 九）。"
            )
        )
    errors: dict = {}
    rooms = _text(rooms, _("进入区域"), errors=errors, key="rooms")
    if escort is None or not escort.is_active:
        errors["escort"] = _("请选择陪同人员（技术服务外包、维护管理制度 五：现场跟踪指导）。")
    arrived_at = arrived_at or timezone.now()
    if arrived_at > timezone.now() + dt.timedelta(minutes=5):
        errors["arrived_at"] = _("到达时间不能晚于现在。")
    if errors:
        raise ValidationError(errors)
    visit.state = VisitState.ON_SITE
    visit.arrived_at, visit.escort, visit.rooms, visit.logged_by = arrived_at, escort, rooms, actor
    visit.save(update_fields=["state", "arrived_at", "escort", "rooms", "logged_by"])
    entries = [
        facility.visit_register_approved_elsewhere(
            room=room,
            actor=actor,
            visitor=visit.staff.name,
            company=visit.vendor.name,
            purpose=visit.purpose,
            escort=escort.get_full_name() or escort.get_username(),
            approved_by=visit.approved_by,
            source=_("上门服务 #%(pk)s 已经信息科负责人批准（技术服务外包、维护管理制度 九）。")
            % {"pk": visit.pk},
        )
        for room in machine_rooms
    ]
    visit.room_entries.add(*entries)
    audit.record(
        action="vendors.visit.arrived",
        actor=actor,
        obj=visit,
        escort=escort.get_username(),
        rooms=rooms,
        machine_rooms=[room.name for room in machine_rooms],
    )
    return visit


@transaction.atomic
def visit_depart(
    *, visit: Visit, work_done: str, departed_at: dt.datetime | None = None, actor: User
) -> Visit:
    _require(rules.may_log_visit(actor), _("只有网络管理员或机房管理员可以登记上门人员离开。"))
    visit = _locked_visit(visit)
    if visit.state != VisitState.ON_SITE:
        raise ValidationError(_("该人员未登记进入现场。"))
    inside = [entry.room.name for entry in facility_selectors.still_inside(visit.room_entries.all())]
    if inside:
        # 网络机房管理制度 三(四): the register shows who is in the room until they leave it.
        raise ValidationError(
            _("该人员仍在%(rooms)s内，请先在进入机房登记中登记离开。") % {"rooms": _("、").join(inside)}
        )
    errors: dict = {}
    work_done = _text(work_done, _("工作内容"), errors=errors, key="work_done")
    departed_at = departed_at or timezone.now()
    if departed_at < visit.arrived_at:
        errors["departed_at"] = _("离开时间不能早于到达时间。")
    if errors:
        raise ValidationError(errors)
    visit.state = VisitState.DONE
    visit.work_done, visit.departed_at = work_done, departed_at
    visit.save(update_fields=["state", "work_done", "departed_at"])
    audit.record(action="vendors.visit.departed", actor=actor, obj=visit)
    return visit


# --------------------------------------------------------------------------- 十: remote, upgrades


@transaction.atomic
def remote_session_record(
    *,
    staff: VendorStaff,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    source: str,
    systems: str,
    work_done: str,
    upload=None,
    actor: User,
) -> RemoteSession:
    """十: 网络管理员需对远程技术服务记录存档 — who, when, from where, on what, what;
    the recording or log file (if any) with its SHA-256."""
    _require(rules.may_record_remote(actor), _("只有网络管理员可以登记远程服务。"))
    errors: dict = {}
    source = _text(source, _("来源"), errors=errors, key="source")
    systems = _text(systems, _("涉及系统"), errors=errors, key="systems")
    work_done = _text(work_done, _("操作内容"), errors=errors, key="work_done")
    if started_at and ended_at and ended_at < started_at:
        errors["ended_at"] = _("结束时间不能早于开始时间。")
    if ended_at and ended_at > timezone.now() + dt.timedelta(minutes=5):
        errors["ended_at"] = _("结束时间不能晚于现在。")
    content = check = None
    if upload is not None:
        try:
            content, check = checked_upload(upload, allowed=SESSION_LOG_KINDS)
        except ValidationError as exc:
            errors["upload"] = exc.messages
    if errors:
        raise ValidationError(errors)
    session = RemoteSession(
        vendor=staff.vendor,
        staff=staff,
        started_at=started_at,
        ended_at=ended_at,
        source=source,
        systems=systems,
        work_done=work_done,
        recorded_by=actor,
    )
    if content is not None:
        session.file.save(content.name, content, save=False)
        session.file_name, session.file_sha256 = check.name, check.sha256
    session.save()
    audit.record(
        action="vendors.remote.recorded",
        actor=actor,
        obj=session,
        staff=staff.name,
        systems=systems,
        sha256=session.file_sha256,
    )
    return session


@transaction.atomic
def upgrade_file(
    *,
    vendor: Vendor,
    system: str,
    from_version: str,
    to_version: str,
    details: str,
    planned_at: dt.datetime,
    actor: User,
) -> UpgradeFiling:
    """十: the system vendor's upgrade is filed with 信息科 with its details."""
    _require(rules.may_file_upgrade(actor), _("只有网络管理员可以报备版本升级。"))
    errors: dict = {}
    system = _text(system, _("系统"), errors=errors, key="system")
    from_version = _text(from_version, _("当前版本"), errors=errors, key="from_version")
    to_version = _text(to_version, _("目标版本"), errors=errors, key="to_version")
    details = _text(details, _("升级内容"), errors=errors, key="details")
    if errors:
        raise ValidationError(errors)
    upgrade = UpgradeFiling.objects.create(
        vendor=vendor,
        system=system,
        from_version=from_version,
        to_version=to_version,
        details=details,
        planned_at=planned_at,
        filed_by=actor,
    )
    audit.record(action="vendors.upgrade.filed", actor=actor, obj=upgrade, vendor=vendor.name)
    return upgrade


def _locked_upgrade(upgrade: UpgradeFiling) -> UpgradeFiling:
    return UpgradeFiling.objects.select_for_update().get(pk=upgrade.pk)


@transaction.atomic
def upgrade_review(*, upgrade: UpgradeFiling, approve: bool, note: str = "", actor: User) -> UpgradeFiling:
    """十: 信息科 (its head) reviews the filing before asking a 中心领导."""
    _require(rules.is_it_head(actor), _("只有信息科负责人可以审核版本升级报备。"))
    upgrade = _locked_upgrade(upgrade)
    if upgrade.state != UpgradeState.FILED:
        raise ValidationError(_("该报备不在待信息科审核状态。"))
    if not approve and not note.strip():
        raise ValidationError({"note": _("不通过时请写明理由。")})
    upgrade.state = UpgradeState.REVIEWED if approve else UpgradeState.REJECTED
    upgrade.reviewed_by, upgrade.reviewed_at, upgrade.decision_note = actor, timezone.now(), note.strip()
    upgrade.save(update_fields=["state", "reviewed_by", "reviewed_at", "decision_note"])
    audit.record(action="vendors.upgrade.reviewed", actor=actor, obj=upgrade, approved=approve)
    return upgrade


@transaction.atomic
def upgrade_decide(*, upgrade: UpgradeFiling, approve: bool, note: str = "", actor: User) -> UpgradeFiling:
    """十: a 中心领导 approves after 信息科."""
    _require(rules.may_approve_upgrade(actor), _("只有中心领导（分管领导）可以批准版本升级。"))
    upgrade = _locked_upgrade(upgrade)
    if upgrade.state != UpgradeState.REVIEWED:
        raise ValidationError(_("该报备尚未经信息科审核，或已批示。"))
    if not approve and not note.strip():
        raise ValidationError({"note": _("不批准时请写明理由。")})
    upgrade.state = UpgradeState.APPROVED if approve else UpgradeState.REJECTED
    upgrade.approved_by, upgrade.approved_at = actor, timezone.now()
    if note.strip():
        upgrade.decision_note = "\n".join(filter(None, [upgrade.decision_note, note.strip()]))
    upgrade.save(update_fields=["state", "approved_by", "approved_at", "decision_note"])
    audit.record(action="vendors.upgrade.decided", actor=actor, obj=upgrade, approved=approve)
    return upgrade


@transaction.atomic
def upgrade_executed(*, upgrade: UpgradeFiling, executed_at: dt.datetime, actor: User) -> UpgradeFiling:
    """Record that the upgrade was carried out. The record is a fact and is always
    kept; carried out before the approval it is a finding (十) that the compliance
    check reports until the 安全管理员 records how it was dealt with."""
    _require(rules.may_file_upgrade(actor), _("只有网络管理员可以登记版本升级实施。"))
    upgrade = _locked_upgrade(upgrade)
    if upgrade.executed_at is not None:
        raise ValidationError(_("该升级已登记实施。"))
    if executed_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"executed_at": _("实施时间不能晚于现在。")})
    early = upgrade.approved_at is None or executed_at < upgrade.approved_at
    upgrade.executed_at = executed_at
    upgrade.executed_before_approval = early or upgrade.state == UpgradeState.REJECTED
    if upgrade.state == UpgradeState.APPROVED:
        upgrade.state = UpgradeState.EXECUTED
    upgrade.save(update_fields=["executed_at", "executed_before_approval", "state"])
    audit.record(
        action="vendors.upgrade.executed",
        actor=actor,
        obj=upgrade,
        outcome=Outcome.FAILURE if upgrade.executed_before_approval else Outcome.SUCCESS,
        before_approval=upgrade.executed_before_approval,
    )
    return upgrade


@transaction.atomic
def upgrade_result(*, upgrade: UpgradeFiling, result: str, note: str = "", actor: User) -> UpgradeFiling:
    _require(rules.may_file_upgrade(actor), _("只有网络管理员可以登记版本升级结果。"))
    upgrade = _locked_upgrade(upgrade)
    if upgrade.executed_at is None:
        raise ValidationError(_("请先登记实施时间。"))
    if upgrade.result:
        raise ValidationError(_("结果已登记。"))
    if result not in UpgradeResult.values:
        raise ValidationError({"result": _("请选择结果。")})
    if result != UpgradeResult.SUCCESS and not note.strip():
        raise ValidationError({"note": _("升级未成功时请说明情况。")})
    upgrade.result, upgrade.result_note, upgrade.result_recorded_at = result, note.strip(), timezone.now()
    if upgrade.state == UpgradeState.EXECUTED:
        upgrade.state = UpgradeState.DONE
    upgrade.save(update_fields=["result", "result_note", "result_recorded_at", "state"])
    audit.record(action="vendors.upgrade.result_recorded", actor=actor, obj=upgrade, result=result)
    return upgrade


@transaction.atomic
def upgrade_finding_resolve(*, upgrade: UpgradeFiling, note: str, actor: User) -> UpgradeFiling:
    _require(RoleKey.SECURITY_ADMIN in rules.role_keys(actor), _("只有安全管理员可以处理违规升级。"))
    upgrade = _locked_upgrade(upgrade)
    if not upgrade.executed_before_approval or upgrade.finding_resolution:
        raise ValidationError(_("该升级没有待处理的违规。"))
    if not note.strip():
        raise ValidationError({"note": _("请写明处理情况。")})
    upgrade.finding_resolution, upgrade.finding_resolved_by = note.strip(), actor
    upgrade.save(update_fields=["finding_resolution", "finding_resolved_by"])
    audit.record(action="vendors.upgrade.finding_resolved", actor=actor, obj=upgrade)
    return upgrade
