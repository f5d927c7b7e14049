"""Live checks of vulnerability management, registered with compliance (imported in
VulnsConfig.ready())."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.compliance.choices import Status
from ggzy.compliance.registry import CheckResult, register_check

from . import endpoints, software
from .choices import ScanState
from .models import JointAnalysis, Scan
from .selectors import computers

LINKS = ((gettext_lazy("漏洞扫描"), "/admin/vulns/"),)
# 二(一) 每年: a year from the last analysed scan; reminded a month ahead.
YEAR_DAYS, DUE_SOON_DAYS = 365, 30


@register_check("wlaq.2.1")
def yearly_scan_analysed(*, today: dt.date) -> CheckResult:
    """二(一): a scan of the network every year, its results analysed and signed by the
    网络管理员, 系统管理员 and 安全管理员."""
    last = (
        JointAnalysis.objects.filter(completed_at__isnull=False)
        .order_by("-scan__finished_at")
        .values_list("scan__finished_at", flat=True)
        .first()
    )
    if last is None:
        # Like the tamper check: nothing recorded yet is no data, not an alert; a done
        # scan waiting for its analysis is due.
        if Scan.objects.filter(state=ScanState.DONE).exists():
            return CheckResult(Status.DUE_SOON, _("已完成的扫描尚待三位管理员联合分析签字"), LINKS)
        return CheckResult(Status.NO_DATA, _("尚无漏洞扫描记录（每年至少一次）"), LINKS)
    scanned = timezone.localtime(last).date()
    due = scanned + dt.timedelta(days=YEAR_DAYS)
    detail = {"day": scanned.isoformat(), "due": due.isoformat()}
    if today > due:
        return CheckResult(
            Status.OVERDUE,
            _("最近一次经联合分析的扫描在 %(day)s，已超过一年（应于 %(due)s 前）") % detail,
            LINKS,
        )
    if today > due - dt.timedelta(days=DUE_SOON_DAYS):
        return CheckResult(
            Status.DUE_SOON, _("年度漏洞扫描将于 %(due)s 到期（上次 %(day)s）") % detail, LINKS
        )
    return CheckResult(Status.MET, _("最近一次扫描 %(day)s，结果已由三位管理员联合分析签字") % detail, LINKS)


@register_check("sb.14", "wh.2.3", "sb.11")
def endpoints_protected(*, today: dt.date) -> CheckResult:
    """网络设备管理制度 第十四条: antivirus on every computer, updated and run;
    维护管理制度 二(三): removable storage is checked for viruses before use."""
    rows = endpoints.endpoint_rows(today=today)
    links = ((gettext_lazy("终端防护"), "/admin/vulns/endpoints/"),)
    if not rows:
        return CheckResult(Status.NO_DATA, _("资产台账中没有在用的计算机"), links)
    bad = [row for row in rows if row.problems]
    if bad:
        sample = "；".join(f"{row.asset.number}：{'、'.join(row.problems)}" for row in bad[:3])
        return CheckResult(
            Status.FAILING,
            _("%(n)d 台计算机防护不到位：%(sample)s") % {"n": len(bad), "sample": sample},
            links,
        )
    return CheckResult(Status.MET, _("%(n)d 台计算机的杀毒软件均按期更新和查毒") % {"n": len(rows)}, links)


@register_check("wh.2.2")
def software_approved(*, today: dt.date) -> CheckResult:
    """网络与系统安全维护管理制度 二(二): software is installed by 信息科 only, nothing
    unrelated to work — every computer inventoried within the period, every installed
    program on 信息科's list."""
    links = (
        (gettext_lazy("终端防护"), "/admin/vulns/endpoints/"),
        (gettext_lazy("准许安装的软件"), "/admin/vulns/software/software/"),
    )
    found = software.software_problems(computers(), today=today)
    if not found:
        return CheckResult(Status.NO_DATA, _("资产台账中没有在用的计算机"), links)
    bad = {pk: problems for pk, problems in found.items() if problems}
    if bad:
        numbers = dict(computers().filter(pk__in=list(bad)[:3]).values_list("pk", "number"))
        sample = "；".join(f"{numbers[pk]}：{'、'.join(bad[pk])}" for pk in list(bad)[:3])
        return CheckResult(
            Status.FAILING,
            _("%(n)d 台计算机的软件不合规：%(sample)s") % {"n": len(bad), "sample": sample},
            links,
        )
    return CheckResult(
        Status.MET, _("%(n)d 台计算机均按期清点，已安装软件均经信息科准许") % {"n": len(found)}, links
    )
