"""Reads of the vendor records, filtered by who asks."""

from __future__ import annotations

from django.db.models import QuerySet

from ggzy.accounts.choices import RoleKey

from . import rules
from .models import OutsourcingRequest, RemoteSession, UpgradeFiling, Vendor, Visit


def requests_visible_to(user) -> QuerySet[OutsourcingRequest]:
    """The 中心主任 and the overseers see every request; a 科室负责人 their department's."""
    qs = OutsourcingRequest.objects.select_related("department", "requested_by", "decided_by")
    keys = rules.role_keys(user)
    if keys & {RoleKey.CENTER_DIRECTOR, *rules.OVERSIGHT}:
        return qs
    if RoleKey.DEPARTMENT_HEAD in keys:
        return qs.filter(department_id=user.department_id)
    return qs.none()


def vendors_visible_to(user) -> QuerySet[Vendor]:
    return Vendor.objects.all() if rules.may_see_vendors(user) else Vendor.objects.none()


def visits_visible_to(user) -> QuerySet[Visit]:
    qs = Visit.objects.select_related(
        "vendor", "staff", "requested_by", "reviewed_by", "approved_by", "escort"
    )
    return qs if rules.may_see_visits(user) else qs.none()


def remote_sessions_visible_to(user) -> QuerySet[RemoteSession]:
    qs = RemoteSession.objects.select_related("vendor", "staff", "recorded_by")
    return qs if rules.may_see_remote(user) else qs.none()


def upgrades_visible_to(user) -> QuerySet[UpgradeFiling]:
    qs = UpgradeFiling.objects.select_related("vendor", "filed_by", "reviewed_by", "approved_by")
    return qs if rules.may_see_upgrades(user) else qs.none()
