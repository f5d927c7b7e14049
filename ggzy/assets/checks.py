"""Live checks of the asset ledger (网络与系统安全维护管理制度 一) and of the
departed persons' assets (人员离岗离职 第三条), registered with compliance."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.compliance.choices import Status
from ggzy.compliance.obligations_builtin import register_file
from ggzy.compliance.registry import CheckResult, register_check

from .choices import STORAGE_KINDS, RepairState
from .models import Asset, Disposal, RepairTicket

register_file(Path(__file__).parent / "data" / "obligations.toml")

# 一(四): 及时排除设备故障 — read as: a reported fault is taken within 1 day and
# resolved within 5 (beyond that the ticket is overdue).
REPAIR_TAKE_DAYS = 1
REPAIR_RESOLVE_DAYS = 5


@register_check("wh.1.2", "wh.1.4")
def repairs_handled_in_time(*, today: dt.date) -> CheckResult:
    """一(二)(四): faults go to 信息科 and are dealt with promptly."""
    now = timezone.now()
    late = RepairTicket.objects.filter(
        Q(state=RepairState.REPORTED, reported_at__lt=now - dt.timedelta(days=REPAIR_TAKE_DAYS))
        | Q(state=RepairState.IN_PROGRESS, reported_at__lt=now - dt.timedelta(days=REPAIR_RESOLVE_DAYS))
    )
    link = [(_("报修"), "/admin/assets/repairs/")]
    if late.exists():
        numbers = _("、").join(late.values_list("asset__number", flat=True)[:5])
        return CheckResult(Status.OVERDUE, _("超时未处理的报修：%(items)s") % {"items": numbers}, link)
    open_count = RepairTicket.objects.exclude(state=RepairState.RESOLVED).count()
    if open_count:
        return CheckResult(Status.DUE_SOON, _("%(count)s 张报修单处理中") % {"count": open_count}, link)
    return CheckResult(Status.MET, _("报修均已由信息科及时处理"), link)


@register_check("wh.1.5")
def disposals_with_wipe_evidence(*, today: dt.date) -> CheckResult:
    """一(五): disposed only after appraisal and approval; storage wiped with evidence."""
    bad = Disposal.objects.filter(disposed_at__isnull=False).filter(
        Q(approved_at__isnull=True) | Q(asset__kind__in=STORAGE_KINDS, wipe_evidence_sha256="")
    )
    link = [(_("资产台账"), "/admin/assets/")]
    if bad.exists():
        numbers = _("、").join(bad.values_list("asset__number", flat=True)[:5])
        return CheckResult(
            Status.FAILING, _("报废处置缺少批准或数据清除证明：%(items)s") % {"items": numbers}, link
        )
    count = Disposal.objects.filter(disposed_at__isnull=False).count()
    return CheckResult(
        Status.MET, _("%(count)s 件报废资产均经鉴定、批准，存储介质均有数据清除证明") % {"count": count}, link
    )


@register_check("lz.3", "lz.2.3")
def departed_hold_no_assets(*, today: dt.date) -> CheckResult:
    """人员离岗离职 第三条: a disabled account holds no asset of the center."""
    held = Asset.objects.filter(holder__is_active=False)
    if held.exists():
        items = _("、").join(f"{u} {n}" for u, n in held.values_list("holder__username", "number")[:5])
        return CheckResult(
            Status.FAILING,
            _("已停用账号名下仍有未归还的资产：%(items)s") % {"items": items},
            [(_("资产台账"), "/admin/assets/")],
        )
    return CheckResult(Status.MET, _("已停用账号名下没有未归还的资产"))
