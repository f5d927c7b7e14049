"""Endpoint hygiene (网络设备管理制度 第十一、十四条; 网络与系统安全维护管理制度 二(三)):
per computer of the asset ledger, the antivirus, its signature date, the last full
scan and the removable-storage policy — entered or imported from CSV by 信息科, then
read for what is stale or missing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.assets.models import Asset
from ggzy.audit import services as audit
from ggzy.core.tabular import read_csv

from . import rules, software
from .choices import ENDPOINT_COMPUTER_KINDS, RemovableMedia
from .models import EndpointStatus
from .selectors import computers

CSV_COLUMNS = ("asset_number", "antivirus", "signatures_updated_on", "last_full_scan_on", "removable_media")
MEDIA_WORDS = {
    **{c.value: c.value for c in RemovableMedia},
    **{str(c.label): c.value for c in RemovableMedia},
}


def signature_max_age() -> int:
    return getattr(settings, "VULNS_SIGNATURE_MAX_AGE_DAYS", 7)


def scan_max_age() -> int:
    return getattr(settings, "VULNS_FULL_SCAN_MAX_AGE_DAYS", 30)


def _validate(*, asset, antivirus, signatures_updated_on, last_full_scan_on, removable_media) -> dict:
    errors: dict = {}
    today = timezone.localdate()
    if asset.kind not in ENDPOINT_COMPUTER_KINDS:
        errors["asset"] = _("%(number)s 不是计算机。") % {"number": asset.number}
    if not (antivirus or "").strip():
        errors["antivirus"] = _("请填写杀毒软件（网络设备管理制度 第十四条：统一安装正版杀毒软件）。")
    for key, day in (
        ("signatures_updated_on", signatures_updated_on),
        ("last_full_scan_on", last_full_scan_on),
    ):
        if day is not None and day > today:
            errors[key] = _("日期不能晚于今天。")
    if signatures_updated_on is None:
        errors["signatures_updated_on"] = _("请填写病毒库更新日期。")
    if removable_media not in RemovableMedia.values:
        errors["removable_media"] = _("移动存储策略应为：%(options)s。") % {
            "options": "、".join(str(c.label) for c in RemovableMedia)
        }
    return errors


@transaction.atomic
def endpoint_record(
    *, asset: Asset, actor, antivirus: str, signatures_updated_on, last_full_scan_on, removable_media: str
) -> EndpointStatus:
    if not rules.may_record_endpoints(actor):
        raise PermissionDenied(_("终端防护状况由信息科网络管理员登记。"))
    errors = _validate(
        asset=asset,
        antivirus=antivirus,
        signatures_updated_on=signatures_updated_on,
        last_full_scan_on=last_full_scan_on,
        removable_media=removable_media,
    )
    if errors:
        raise ValidationError(errors)
    status, _created = EndpointStatus.objects.update_or_create(
        asset=asset,
        defaults={
            "antivirus": antivirus.strip(),
            "signatures_updated_on": signatures_updated_on,
            "last_full_scan_on": last_full_scan_on,
            "removable_media": removable_media,
            "recorded_by": actor,
        },
    )
    audit.record(
        action="vulns.endpoint.recorded",
        actor=actor,
        obj=status,
        asset=asset.number,
        signatures=str(signatures_updated_on),
        last_scan=str(last_full_scan_on or ""),
    )
    return status


def _date(text: str, where: str, label: str):
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            _("%(where)s：%(label)s应为 YYYY-MM-DD，实为 “%(value)s”。")
            % {"where": where, "label": label, "value": text[:20]}
        ) from None


def endpoint_import(*, upload, actor) -> int:
    """A CSV of CSV_COLUMNS (UTF-8, BOM allowed), all or nothing: the first bad row is
    named and nothing is stored."""
    if not rules.may_record_endpoints(actor):
        raise PermissionDenied(_("终端防护状况由信息科网络管理员登记。"))
    rows = read_csv(upload, CSV_COLUMNS, max_mb=2)
    assets = {a.number: a for a in Asset.objects.filter(number__in=[r["asset_number"].strip() for r in rows])}
    with transaction.atomic():
        for line, row in enumerate(rows, start=2):
            where = _("第 %(n)s 行") % {"n": line}
            asset = assets.get(row["asset_number"].strip())
            if asset is None:
                raise ValidationError(
                    _("%(where)s：资产台账中没有编号 “%(number)s”。")
                    % {"where": where, "number": row["asset_number"][:40]}
                )
            values = {
                "antivirus": row["antivirus"],
                "signatures_updated_on": _date(row["signatures_updated_on"], where, _("病毒库更新日期")),
                "last_full_scan_on": _date(row["last_full_scan_on"], where, _("最近全盘查毒")),
                "removable_media": MEDIA_WORDS.get((row["removable_media"] or "").strip(), ""),
            }
            try:
                endpoint_record(asset=asset, actor=actor, **values)
            except ValidationError as exc:
                raise ValidationError(f"{where}：{exc.messages[0]}") from exc
    return len(rows)


@dataclass(frozen=True)
class EndpointRow:
    asset: Asset
    status: EndpointStatus | None
    problems: list[str]
    software: list[str]  # 维护管理制度 二(二): unapproved programs, stale or missing inventory


def endpoint_rows(*, today: dt.date | None = None) -> list[EndpointRow]:
    """Every computer in service with what is wrong with its protection and its
    software (a fixed number of queries)."""
    today = today or timezone.localdate()
    statuses = {s.asset_id: s for s in EndpointStatus.objects.filter(asset__in=computers())}
    installed = software.software_problems(computers(), today=today)
    rows = []
    for asset in computers().select_related("holder", "department").order_by("number"):
        status = statuses.get(asset.pk)
        rows.append(EndpointRow(asset, status, problems(status, today=today), installed.get(asset.pk, [])))
    return rows


def problems(status: EndpointStatus | None, *, today: dt.date) -> list[str]:
    if status is None:
        return [_("未登记杀毒软件")]
    out = []
    if (today - status.signatures_updated_on).days > signature_max_age():
        out.append(_("病毒库超过 %(n)s 天未更新") % {"n": signature_max_age()})
    if status.last_full_scan_on is None:
        out.append(_("无全盘查毒记录"))
    elif (today - status.last_full_scan_on).days > scan_max_age():
        out.append(_("超过 %(n)s 天未全盘查毒") % {"n": scan_max_age()})
    if status.removable_media == RemovableMedia.ALLOWED:
        out.append(_("移动存储未经查毒即可使用"))
    return out
