"""Reads of the ledger, filtered by who asks."""

from django.db.models import Q, QuerySet

from ggzy.accounts.choices import RoleKey
from ggzy.vendors.rules import role_keys

from . import rules
from .choices import AssetState
from .models import Asset, RepairTicket


def assets_visible_to(user) -> QuerySet[Asset]:
    """信息科 and the overseers: the whole ledger; a 科室负责人 their department's
    (人员离岗离职 第三条: assets are handed to the 本科室领导); anyone else what they hold."""
    qs = Asset.objects.select_related("department", "holder")
    if rules.may_see_ledger(user):
        return qs
    if RoleKey.DEPARTMENT_HEAD in role_keys(user):
        return qs.filter(Q(department_id=user.department_id) | Q(holder=user))
    return qs.filter(holder=user)


def own_assets(user) -> QuerySet[Asset]:
    return Asset.objects.filter(holder=user).exclude(state=AssetState.DISPOSED)


def repairs_visible_to(user) -> QuerySet[RepairTicket]:
    qs = RepairTicket.objects.select_related("asset", "reported_by", "handled_by")
    if rules.may_see_ledger(user):
        return qs
    return qs.filter(reported_by=user)
