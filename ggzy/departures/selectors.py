"""Reads of departures: who may see them, and which ones they see."""

from django.db.models import QuerySet

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.services import can_manage_accounts

from .models import Departure

__all__ = ["can_see_departures", "departures_visible_to"]


def can_see_departures(user) -> bool:
    """The 系统管理员 (who starts them) and department heads (who sign them off)."""
    return can_manage_accounts(user) or (user.is_active and user.has_role(RoleKey.DEPARTMENT_HEAD))


def departures_visible_to(user) -> QuerySet[Departure]:
    """All for the 系统管理员; a head sees their own department's, never their own."""
    qs = Departure.objects.select_related("user", "user__department", "started_by")
    if can_manage_accounts(user):
        return qs
    return qs.filter(user__department_id=user.department_id).exclude(user=user)
