"""Live checks and the periodic evaluation obligation of 技术服务外包、维护管理制度,
registered with compliance (imported in VendorsConfig.ready())."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db.models import F, Q
from django.utils.translation import gettext as _

from ggzy.compliance.choices import Status
from ggzy.compliance.obligations_builtin import register_file
from ggzy.compliance.registry import CheckResult, register_check

from .choices import RequestState
from .models import Contract, UpgradeFiling, Vendor, Visit

# 七: 定期 read as once a quarter; an evaluation older than this is overdue.
EVALUATION_MAX_AGE_DAYS = 92
# 十: the result of an executed upgrade is recorded within this many days.
UPGRADE_RESULT_DAYS = 7

register_file(Path(__file__).parent / "data" / "obligations.toml")

_LINK_VENDORS = "/admin/vendors/"


@register_check("wb.1", "wb.6")
def contracts_follow_approval(*, today: dt.date) -> CheckResult:
    """一、六: every contract rests on a request the 中心主任 approved and a selection record."""
    bad = list(
        Contract.objects.filter(
            ~Q(request__state=RequestState.APPROVED) | ~Q(selection__request=F("request"))
        ).values_list("number", flat=True)[:5]
    )
    if bad:
        return CheckResult(
            Status.FAILING,
            _("合同未经批准或无选定记录：%(items)s") % {"items": _("、").join(bad)},
            [(_("外包承包商"), _LINK_VENDORS)],
        )
    count = Contract.objects.count()
    if not count:
        return CheckResult(Status.NO_DATA, _("尚未登记外包合同"))
    return CheckResult(
        Status.MET,
        _("%(count)s 份外包合同均经中心主任批准并有选定记录") % {"count": count},
        [(_("外包承包商"), _LINK_VENDORS)],
    )


@register_check("wb.7")
def vendor_evaluations_current(*, today: dt.date) -> CheckResult:
    """七: every vendor with a contract in force was evaluated within the quarter."""
    active = Vendor.objects.filter(contracts__starts_on__lte=today, contracts__ends_on__gte=today).distinct()
    since = today - dt.timedelta(days=EVALUATION_MAX_AGE_DAYS)
    late = list(active.exclude(evaluations__evaluated_on__gte=since).values_list("name", flat=True)[:5])
    if late:
        return CheckResult(
            Status.OVERDUE,
            _("超过一个季度未考核的承包商：%(names)s") % {"names": _("、").join(late)},
            [(_("外包承包商"), _LINK_VENDORS)],
        )
    failed = list(
        active.filter(evaluations__evaluated_on__gte=since, evaluations__passed=False).values_list(
            "name", flat=True
        )[:5]
    )
    if failed:
        return CheckResult(
            Status.FAILING,
            _("最近一次考核不合格的承包商：%(names)s") % {"names": _("、").join(failed)},
            [(_("外包承包商"), _LINK_VENDORS)],
        )
    return CheckResult(Status.MET, _("在履约的 %(count)s 家承包商均已按季度考核") % {"count": active.count()})


@register_check("wb.9")
def visits_entered_after_approval(*, today: dt.date) -> CheckResult:
    """九: nobody entered the site without the 网络管理员's review and the 信息科负责人's approval."""
    bad = Visit.objects.filter(arrived_at__isnull=False).filter(
        Q(approved_at__isnull=True) | Q(reviewed_at__isnull=True) | Q(arrived_at__lt=F("approved_at"))
    )
    if bad.exists():
        return CheckResult(
            Status.FAILING,
            _("存在未经审核批准即进入现场的上门服务记录 %(count)s 条") % {"count": bad.count()},
            [(_("上门服务"), "/admin/vendors/visits/")],
        )
    return CheckResult(Status.MET, _("上门服务均经网络管理员审核、信息科负责人批准后进入现场"))


@register_check("wb.10")
def upgrades_approved_before_execution(*, today: dt.date) -> CheckResult:
    """十: no upgrade carried out before a 中心领导 approved it (unless dealt with);
    executed upgrades get their result recorded."""
    early = list(
        UpgradeFiling.objects.filter(executed_before_approval=True, finding_resolution="").values_list(
            "system", "to_version"
        )[:5]
    )
    link = [(_("版本升级报备"), "/admin/vendors/upgrades/")]
    if early:
        names = _("、").join(f"{system} {version}" for system, version in early)
        return CheckResult(Status.FAILING, _("未经批准即实施的版本升级：%(items)s") % {"items": names}, link)
    cutoff = today - dt.timedelta(days=UPGRADE_RESULT_DAYS)
    pending = UpgradeFiling.objects.filter(executed_at__date__lt=cutoff, result="")
    if pending.exists():
        return CheckResult(
            Status.OVERDUE,
            _("%(count)s 项已实施的版本升级超过 %(days)s 天未登记结果")
            % {"count": pending.count(), "days": UPGRADE_RESULT_DAYS},
            link,
        )
    return CheckResult(Status.MET, _("版本升级均经信息科报备、中心领导批准后实施"), link)
