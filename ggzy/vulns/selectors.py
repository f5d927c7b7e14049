"""Reads of vulnerability management for the screens."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from ggzy.assets.choices import AssetState
from ggzy.assets.models import Asset

from . import rules
from .choices import ENDPOINT_COMPUTER_KINDS, FindingStatus
from .models import Finding, Host, Scan, ScanPlan

OPEN = (FindingStatus.OPEN, FindingStatus.FIX_PROPOSED)
IN_SERVICE = (AssetState.IN_USE, AssetState.IN_STOCK, AssetState.REPAIR)


def computers() -> QuerySet[Asset]:
    """The computers in service in the asset ledger: what endpoint hygiene and the
    software inventory are about (网络设备管理制度 第十四条; 维护管理制度 二(二)(三))."""
    return Asset.objects.filter(kind__in=ENDPOINT_COMPUTER_KINDS, state__in=IN_SERVICE)


def plans_visible_to(user) -> QuerySet[ScanPlan]:
    qs = ScanPlan.objects.select_related("author", "decided_by").annotate(scan_count=Count("scans"))
    return qs if rules.may_see(user) else qs.none()


def scans_of(plan: ScanPlan) -> QuerySet[Scan]:
    return plan.scans.select_related("started_by")


def findings_visible_to(user, *, status: str = "") -> QuerySet[Finding]:
    qs = Finding.objects.select_related("host", "owner")
    if status == "open":
        qs = qs.filter(status__in=OPEN)
    elif status:
        qs = qs.filter(status=status)
    return qs if rules.may_see(user) else qs.none()


def finding_counts() -> dict:
    return Finding.objects.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN)),
        proposed=Count("pk", filter=Q(status=FindingStatus.FIX_PROPOSED)),
        total=Count("pk"),
    )


def hosts(*, unknown_only: bool = True) -> QuerySet[Host]:
    """The scanned hosts, with their open findings counted (one query); by default only
    those no register knows and nobody has dismissed."""
    qs = Host.objects.select_related("dismissed_by").annotate(
        open_findings=Count("findings", filter=Q(findings__status__in=OPEN))
    )
    if unknown_only:
        qs = qs.filter(known_source="", dismissed_at__isnull=True)
    return qs.order_by("-segment_important", "address")
