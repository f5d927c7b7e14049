"""Reads of the vault, filtered by who asks (密码、口令管理制度 一).

Who sees what:
- the 网络管理员: every credential (manages the vault);
- the 科室负责人: the credentials of their own department (the 部门负责人 of 一(一));
- a holder: the credentials they are listed on.
The superuser flag adds nothing."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import User

from .choices import ChangeStatus, CredentialStatus, RevealStatus
from .models import Credential, PendingChange, RevealGrant

__all__ = [
    "credentials_to_rotate_for",
    "credentials_visible_to",
    "is_department_head_for",
    "is_network_admin",
    "may_approve_reveal",
    "may_manage",
    "may_open_vault",
    "may_view",
    "pending_changes_for",
    "role_keys_of",
]


def role_keys_of(user) -> set[str]:
    cached = user.__dict__.get("_ggzy_credentials_roles")
    if cached is None:
        cached = user.role_keys() if user.is_authenticated and user.is_active else set()
        user.__dict__["_ggzy_credentials_roles"] = cached
    return cached


def is_network_admin(user) -> bool:
    return RoleKey.NETWORK_ADMIN in role_keys_of(user)


def is_department_head_for(user, credential: Credential) -> bool:
    """The 部门负责人 of 一(一): the 科室负责人 of the credential's department."""
    return RoleKey.DEPARTMENT_HEAD in role_keys_of(user) and user.department_id == credential.department_id


def may_manage(user, credential: Credential) -> bool:
    """Edit the record, start a change, retire it."""
    return is_network_admin(user) or is_department_head_for(user, credential)


def is_holder(user, credential: Credential) -> bool:
    return user.is_authenticated and credential.holders.filter(pk=user.pk).exists()


def may_view(user, credential: Credential) -> bool:
    return may_manage(user, credential) or is_holder(user, credential)


def may_approve_reveal(user, grant: RevealGrant) -> bool:
    """The second approver of a reveal: a manager of the credential, never the requester."""
    return user.pk != grant.requested_by_id and may_manage(user, grant.credential)


def may_open_vault(user) -> bool:
    """Whether the vault's menu and listing are for this user at all."""
    roles = role_keys_of(user)
    if RoleKey.NETWORK_ADMIN in roles or RoleKey.DEPARTMENT_HEAD in roles:
        return True
    return user.is_authenticated and user.is_active and user.held_credentials.exists()


def credentials_visible_to(user) -> QuerySet[Credential]:
    if not (user.is_authenticated and user.is_active):
        return Credential.objects.none()
    if is_network_admin(user):
        return Credential.objects.all()
    visible = Q(holders=user)
    if RoleKey.DEPARTMENT_HEAD in role_keys_of(user):
        visible |= Q(department_id=user.department_id)
    return Credential.objects.filter(pk__in=Credential.objects.filter(visible).values("pk"))


def pending_changes_for(credential: Credential) -> QuerySet[PendingChange]:
    return credential.changes.filter(status=ChangeStatus.PENDING).select_related("started_by")


def credentials_to_rotate_for(user: User) -> QuerySet[Credential]:
    """人员离岗离职信息安全管理规定 第二、三条: the credentials a departing person
    could see — listed as a holder, revealed one, or typed in its value — each
    to be rotated. Retired credentials are left out."""
    could_see = (
        Q(holders=user)
        | Q(
            pk__in=RevealGrant.objects.filter(requested_by=user, status=RevealStatus.USED).values(
                "credential"
            )
        )
        | Q(
            pk__in=PendingChange.objects.filter(
                started_by=user, status=ChangeStatus.CONFIRMED, generated=False
            ).values("credential")
        )
    )
    return (
        Credential.objects.filter(pk__in=Credential.objects.filter(could_see).values("pk"))
        .exclude(status=CredentialStatus.RETIRED)
        .order_by("name")
    )
