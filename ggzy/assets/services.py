"""Writes for the asset ledger (网络与系统安全维护管理制度 一). Keyword-only, atomic,
validated, audited in the same transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.accounts.models import Department, User
from ggzy.audit import services as audit
from ggzy.audit.choices import Outcome
from ggzy.vendors.files import SCAN_KINDS, checked_upload

from . import rules
from .choices import STORAGE_KINDS, AssetKind, AssetState, DisposalMethod, RepairState
from .models import Asset, Assignment, Disposal, RepairTicket


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@dataclass
class AssetData:
    """The fields of one asset, as typed or read from a row."""

    number: str
    kind: str
    name: str
    department: Department | None
    model: str = ""
    serial: str = ""
    location: str = ""
    purchased_on: dt.date | None = None
    purchase_value: Decimal | None = None
    warranty_until: dt.date | None = None
    holder: User | None = None


def _validate(data: AssetData, *, numbers_taken: set[str]) -> dict:
    errors: dict = {}
    data.number = (data.number or "").strip()
    data.name = (data.name or "").strip()
    if not data.number:
        errors["number"] = _("请填写资产编号。")
    elif data.number in numbers_taken or Asset.objects.filter(number=data.number).exists():
        errors["number"] = _("资产编号“%(number)s”已存在。") % {"number": data.number}
    if data.kind not in AssetKind.values:
        errors["kind"] = _("未知的资产类别。")
    if not data.name:
        errors["name"] = _("请填写名称。")
    if data.department is None:
        errors["department"] = _("请选择使用科室。")
    if data.purchase_value is not None and data.purchase_value < 0:
        errors["purchase_value"] = _("购置金额不能为负数。")
    if data.purchased_on and data.purchased_on > timezone.localdate():
        errors["purchased_on"] = _("购置日期不能晚于今天。")
    if data.purchased_on and data.warranty_until and data.warranty_until < data.purchased_on:
        errors["warranty_until"] = _("保修截止日期不能早于购置日期。")
    if data.holder is not None and not data.holder.is_active:
        errors["holder"] = _("使用人账号已停用。")
    return errors


def _create(data: AssetData, *, actor: User) -> Asset:
    asset = Asset.objects.create(
        number=data.number,
        kind=data.kind,
        name=data.name,
        model=data.model.strip(),
        serial=data.serial.strip(),
        department=data.department,
        location=data.location.strip(),
        purchased_on=data.purchased_on,
        purchase_value=data.purchase_value,
        warranty_until=data.warranty_until,
        created_by=actor,
    )
    if data.holder is not None:
        _assign(asset, holder=data.holder, actor=actor, note="")
    return asset


@transaction.atomic
def asset_create(*, data: AssetData, actor: User) -> Asset:
    """一(三): 建立健全有关资产台账 — by 信息科 (一(一))."""
    _require(rules.may_manage_assets(actor), _("资产台账由信息科（网络管理员）管理。"))
    errors = _validate(data, numbers_taken=set())
    if errors:
        raise ValidationError(errors)
    asset = _create(data, actor=actor)
    audit.record(action="assets.asset.created", actor=actor, obj=asset, kind=asset.kind)
    return asset


def _assign(asset: Asset, *, holder: User, actor: User, note: str) -> Assignment:
    assignment = Assignment.objects.create(
        asset=asset,
        holder=holder,
        department=holder.department,
        assigned_at=timezone.now(),
        assigned_by=actor,
        note=note,
    )
    asset.holder, asset.department, asset.state = holder, holder.department, AssetState.IN_USE
    asset.save(update_fields=["holder", "department", "state"])
    return assignment


_CLOSED = (AssetState.APPRAISED, AssetState.APPROVED, AssetState.DISPOSED)


@transaction.atomic
def asset_assign(*, asset: Asset, holder: User, note: str = "", actor: User) -> Assignment:
    _require(rules.may_manage_assets(actor), _("只有信息科（网络管理员）可以办理资产领用。"))
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if asset.state in _CLOSED:
        raise ValidationError(_("资产已进入报废程序，不能领用。"))
    if asset.holder_id is not None:
        raise ValidationError(_("资产仍由 %(holder)s 使用，请先办理归还。") % {"holder": asset.holder})
    if not holder.is_active:
        raise ValidationError({"holder": _("使用人账号已停用。")})
    assignment = _assign(asset, holder=holder, actor=actor, note=note.strip())
    audit.record(action="assets.asset.assigned", actor=actor, obj=asset, holder=holder.get_username())
    return assignment


@transaction.atomic
def asset_return(*, asset: Asset, note: str = "", actor: User) -> Assignment:
    """人员离岗离职 第三条: the holder hands the asset back; 信息科 receives it."""
    _require(rules.may_manage_assets(actor), _("只有信息科（网络管理员）可以办理资产归还。"))
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    assignment = asset.assignments.filter(returned_at__isnull=True).first()
    if assignment is None:
        raise ValidationError(_("该资产没有在用的领用记录。"))
    assignment.returned_at, assignment.returned_to = timezone.now(), actor
    if note.strip():
        assignment.note = "；".join(filter(None, [assignment.note, note.strip()]))[:200]
    assignment.save(update_fields=["returned_at", "returned_to", "note"])
    asset.holder = None
    if asset.state == AssetState.IN_USE:
        asset.state = AssetState.IN_STOCK
    asset.save(update_fields=["holder", "state"])
    audit.record(
        action="assets.asset.returned", actor=actor, obj=asset, holder=assignment.holder.get_username()
    )
    return assignment


# --------------------------------------------------------------------------- 一(二): repairs


@transaction.atomic
def repair_report(*, asset: Asset, fault: str, actor: User) -> RepairTicket:
    """The user reports the fault to 信息科 (一(二)): their own asset; 信息科 any."""
    _require(rules.may_report(actor), _("无权报修。"))
    if asset.holder_id != actor.pk and not rules.may_manage_assets(actor):
        raise PermissionDenied(_("只能为本人使用的资产报修。"))
    if not fault.strip():
        raise ValidationError({"fault": _("请描述故障现象。")})
    if asset.state in _CLOSED:
        raise ValidationError(_("资产已进入报废程序。"))
    if asset.repairs.exclude(state=RepairState.RESOLVED).exists():
        raise ValidationError(_("该资产已有未完成的报修单。"))
    ticket = RepairTicket.objects.create(asset=asset, fault=fault.strip(), reported_by=actor)
    audit.record(action="assets.repair.reported", actor=actor, obj=ticket, asset=asset.number)
    return ticket


@transaction.atomic
def repair_take(*, ticket: RepairTicket, actor: User) -> RepairTicket:
    """一(二): 信息科统一处理，其他人不得随意卸载、处理."""
    _require(
        rules.may_manage_assets(actor), _("设备故障须由信息科统一处理（网络与系统安全维护管理制度 一(二)）。")
    )
    ticket = RepairTicket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.state != RepairState.REPORTED:
        raise ValidationError(_("该报修单已受理。"))
    ticket.state, ticket.handled_by, ticket.taken_at = RepairState.IN_PROGRESS, actor, timezone.now()
    ticket.save(update_fields=["state", "handled_by", "taken_at"])
    asset = ticket.asset
    asset.state = AssetState.REPAIR
    asset.save(update_fields=["state"])
    audit.record(action="assets.repair.taken", actor=actor, obj=ticket)
    return ticket


@transaction.atomic
def repair_resolve(*, ticket: RepairTicket, resolution: str, actor: User) -> RepairTicket:
    _require(
        rules.may_manage_assets(actor), _("设备故障须由信息科统一处理（网络与系统安全维护管理制度 一(二)）。")
    )
    ticket = RepairTicket.objects.select_for_update().select_related("asset").get(pk=ticket.pk)
    if ticket.state != RepairState.IN_PROGRESS:
        raise ValidationError(_("请先受理该报修单。"))
    if not resolution.strip():
        raise ValidationError({"resolution": _("请填写处理结果。")})
    ticket.state, ticket.resolution, ticket.resolved_at = (
        RepairState.RESOLVED,
        resolution.strip(),
        timezone.now(),
    )
    ticket.save(update_fields=["state", "resolution", "resolved_at"])
    asset = ticket.asset
    if asset.state == AssetState.REPAIR:
        asset.state = AssetState.IN_USE if asset.holder_id else AssetState.IN_STOCK
        asset.save(update_fields=["state"])
    audit.record(action="assets.repair.resolved", actor=actor, obj=ticket)
    return ticket


# --------------------------------------------------------------------------- 一(五): disposal


@transaction.atomic
def disposal_appraise(*, asset: Asset, appraisal: str, actor: User) -> Disposal:
    """一(五): 须经中心信息科进行技术鉴定 — only an asset back in stock."""
    _require(rules.may_manage_assets(actor), _("技术鉴定由信息科（网络管理员）进行。"))
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if asset.holder_id is not None:
        raise ValidationError(_("资产仍由 %(holder)s 使用，请先办理归还。") % {"holder": asset.holder})
    if asset.state in _CLOSED or Disposal.objects.filter(asset=asset).exists():
        raise ValidationError(_("该资产已进入报废程序。"))
    if not appraisal.strip():
        raise ValidationError({"appraisal": _("请填写技术鉴定意见（老化、性能落后、故障严重等）。")})
    disposal = Disposal.objects.create(asset=asset, appraisal=appraisal.strip(), appraised_by=actor)
    asset.state = AssetState.APPRAISED
    asset.save(update_fields=["state"])
    audit.record(action="assets.disposal.appraised", actor=actor, obj=asset)
    return disposal


@transaction.atomic
def disposal_approve(*, disposal: Disposal, actor: User) -> Disposal:
    """一(五): 报有关部门批准 — the 分管领导, not the appraiser."""
    _require(rules.may_approve_disposal(actor), _("资产报废须经分管领导批准。"))
    disposal = Disposal.objects.select_for_update().select_related("asset").get(pk=disposal.pk)
    if disposal.approved_at is not None:
        raise ValidationError(_("已批准。"))
    if disposal.appraised_by_id == actor.pk:
        raise PermissionDenied(_("鉴定人不能批准本人鉴定的报废。"))
    disposal.approved_by, disposal.approved_at = actor, timezone.now()
    disposal.save(update_fields=["approved_by", "approved_at"])
    disposal.asset.state = AssetState.APPROVED
    disposal.asset.save(update_fields=["state"])
    audit.record(action="assets.disposal.approved", actor=actor, obj=disposal.asset)
    return disposal


@transaction.atomic
def disposal_record(
    *, disposal: Disposal, method: str, wipe_method: str = "", wipe_evidence=None, note: str = "", actor: User
) -> Disposal:
    """一(五): 按固定资产报废程序处理. An asset that stores data is disposed of only
    with the evidence that its data was wiped (a certificate or photo, through the
    upload gate, kept with its SHA-256)."""
    _require(rules.may_manage_assets(actor), _("报废处置由信息科（网络管理员）登记。"))
    disposal = Disposal.objects.select_for_update().select_related("asset").get(pk=disposal.pk)
    if disposal.approved_at is None:
        raise ValidationError(_("报废尚未批准，不能处置（网络与系统安全维护管理制度 一(五)）。"))
    if disposal.disposed_at is not None:
        raise ValidationError(_("已处置。"))
    errors: dict = {}
    if method not in DisposalMethod.values:
        errors["method"] = _("请选择处置方式。")
    stores_data = disposal.asset.kind in STORAGE_KINDS
    content = check = None
    if stores_data and not wipe_method.strip():
        errors["wipe_method"] = _("含存储介质的设备须写明数据清除方式。")
    if wipe_evidence is not None:
        try:
            content, check = checked_upload(wipe_evidence, allowed=SCAN_KINDS)
        except ValidationError as exc:
            errors["wipe_evidence"] = exc.messages
    elif stores_data:
        errors["wipe_evidence"] = _("含存储介质的设备须上传数据清除证明。")
    if errors:
        raise ValidationError(errors)
    disposal.method, disposal.wipe_method, disposal.note = method, wipe_method.strip(), note.strip()
    if content is not None:
        disposal.wipe_evidence.save(content.name, content, save=False)
        disposal.wipe_evidence_name, disposal.wipe_evidence_sha256 = check.name, check.sha256
    disposal.disposed_by, disposal.disposed_at = actor, timezone.now()
    disposal.save()
    disposal.asset.state = AssetState.DISPOSED
    disposal.asset.save(update_fields=["state"])
    audit.record(
        action="assets.disposal.disposed",
        actor=actor,
        obj=disposal.asset,
        method=method,
        wipe_sha256=disposal.wipe_evidence_sha256,
    )
    return disposal


# --------------------------------------------------------------------------- xlsx import


def _parse_date(value, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(
            _("%(label)s“%(value)s”不是有效日期（YYYY-MM-DD）") % {"label": label, "value": value}
        ) from None


def _parse_money(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).strip()).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(_("购置金额“%(value)s”不是数字") % {"value": value}) from None


# The workbook's header, in this order (the template offered for download).
IMPORT_COLUMNS = (
    ("number", _("资产编号")),
    ("kind", _("类别")),
    ("name", _("名称")),
    ("model", _("型号")),
    ("serial", _("序列号")),
    ("department", _("使用科室")),
    ("holder", _("使用人（用户名）")),
    ("location", _("存放地点")),
    ("purchased_on", _("购置日期")),
    ("purchase_value", _("购置金额")),
    ("warranty_until", _("保修截止")),
)


def assets_import(*, upload, actor: User) -> list[Asset]:
    """Import the ledger from an xlsx workbook (first sheet, header row first):
    every row validated, nothing stored unless every row is valid; the errors
    name the row and the column, in Chinese. A refusal is audited."""
    try:
        return _import(upload=upload, actor=actor)
    except ValidationError as exc:
        with transaction.atomic():
            audit.record(
                action="assets.asset.import_rejected",
                actor=actor,
                outcome=Outcome.FAILURE,
                object_type="assets.asset",
                object_id="",
                object_repr=getattr(upload, "name", ""),
                errors=len(exc.messages),
            )
        raise


@transaction.atomic
def _import(*, upload, actor: User) -> list[Asset]:
    import io

    from openpyxl import load_workbook

    _require(rules.may_manage_assets(actor), _("资产台账由信息科（网络管理员）管理。"))
    content, check = checked_upload(upload, allowed=("xlsx",))
    workbook = load_workbook(io.BytesIO(content.read()), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        raise ValidationError(_("工作表为空。"))
    header = [str(cell).strip() if cell is not None else "" for cell in rows[0]]
    expected = [str(label) for _key, label in IMPORT_COLUMNS]
    if header[: len(expected)] != expected:
        raise ValidationError(
            _("表头应为：%(expected)s（请使用导入模板）。") % {"expected": "、".join(expected)}
        )
    kinds = {str(label): value for value, label in AssetKind.choices} | {v: v for v in AssetKind.values}
    departments = {d.name: d for d in Department.objects.all()} | {
        d.code: d for d in Department.objects.all()
    }
    errors: list[str] = []
    parsed: list[AssetData] = []
    taken: set[str] = set()
    labels = dict(IMPORT_COLUMNS)
    for index, row in enumerate(rows[1:], start=2):
        cells = dict(
            zip([key for key, _l in IMPORT_COLUMNS], [*row, *[None] * len(IMPORT_COLUMNS)], strict=False)
        )
        if all(value in (None, "") for value in cells.values()):
            continue
        problems: list[str] = []

        def text(key: str, cells=cells) -> str:
            value = cells.get(key)
            return "" if value is None else str(value).strip()

        holder = None
        if text("holder"):
            holder = User.objects.filter(username=text("holder")).select_related("department").first()
            if holder is None:
                problems.append(_("使用人“%(name)s”不存在") % {"name": text("holder")})
        department = departments.get(text("department"))
        if text("department") and department is None:
            problems.append(_("使用科室“%(name)s”不存在") % {"name": text("department")})
        data = AssetData(
            number=text("number"),
            kind=kinds.get(text("kind"), ""),
            name=text("name"),
            department=department,
            model=text("model"),
            serial=text("serial"),
            location=text("location"),
            holder=holder,
        )
        if text("kind") and not data.kind:
            problems.append(
                _("类别“%(kind)s”不在：%(kinds)s")
                % {"kind": text("kind"), "kinds": "、".join(str(label) for _v, label in AssetKind.choices)}
            )
        for key in ("purchased_on", "warranty_until"):
            try:
                setattr(data, key, _parse_date(cells.get(key), str(labels[key])))
            except ValueError as exc:
                problems.append(str(exc))
        try:
            data.purchase_value = _parse_money(cells.get("purchase_value"))
        except ValueError as exc:
            problems.append(str(exc))
        for key, message in _validate(data, numbers_taken=taken).items():
            if key == "kind" and text("kind"):
                continue  # already said which kind is unknown
            if key == "department" and text("department"):
                continue
            problems.append(f"{labels.get(key, '')}：{message}" if key in labels else message)
        if problems:
            errors.append(_("第 %(row)s 行：%(problems)s") % {"row": index, "problems": "；".join(problems)})
        else:
            taken.add(data.number)
            parsed.append(data)
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError(_("工作表中没有资产数据。"))
    assets = [_create(data, actor=actor) for data in parsed]
    audit.record(
        action="assets.asset.imported",
        actor=actor,
        object_type="assets.asset",
        object_id="",
        object_repr=check.name,
        count=len(assets),
        sha256=check.sha256,
    )
    return assets
