"""Who may do what in the vendor records (技术服务外包、维护管理制度).

Roles are the center's (``accounts.choices.RoleKey``); the superuser flag grants
nothing here. 信息科负责人 is the 科室负责人 of the department named by
``settings.IT_DEPARTMENT_CODE``; 中心领导 (十) is the 分管领导 role.
"""

from __future__ import annotations

from django.conf import settings

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import User

# Read-only oversight of every vendor record (网络安全管理办法 五: 安全管理员, 审计管理员).
OVERSIGHT = frozenset({RoleKey.SECURITY_ADMIN, RoleKey.AUDIT_ADMIN})


def role_keys(user) -> set[str]:
    cached = getattr(user, "_ggzy_vendor_roles", None)
    if cached is None:
        cached = user.role_keys() if user.is_authenticated and user.is_active else set()
        user._ggzy_vendor_roles = cached
    return cached


def is_it_head(user: User) -> bool:
    """信息科负责人."""
    return (
        RoleKey.DEPARTMENT_HEAD in role_keys(user)
        and user.department_id is not None
        and user.department.code == settings.IT_DEPARTMENT_CODE
    )


# ---- 一: outsourcing requests


def may_file_request(user) -> bool:
    """一: the responsible department (its 科室负责人) files the request."""
    return RoleKey.DEPARTMENT_HEAD in role_keys(user)


def may_decide_request(user) -> bool:
    return RoleKey.CENTER_DIRECTOR in role_keys(user)


def may_see_requests(user) -> bool:
    return bool(role_keys(user) & {RoleKey.DEPARTMENT_HEAD, RoleKey.CENTER_DIRECTOR, *OVERSIGHT})


# ---- 三、六、七: vendors, contracts, staff, selection, evaluation


def may_manage_vendors(user) -> bool:
    """四 (谁主管，谁负责): the department heads of the responsible departments and
    the 网络管理员 who keeps the service records (十)."""
    return bool(role_keys(user) & {RoleKey.DEPARTMENT_HEAD, RoleKey.NETWORK_ADMIN})


def may_see_vendors(user) -> bool:
    return may_manage_vendors(user) or bool(role_keys(user) & OVERSIGHT)


# ---- 九: on-site visits; 十: remote sessions and upgrades


def may_request_visit(user) -> bool:
    """The 网络管理员 (or the 信息科负责人) enters the vendor's request with its papers."""
    return RoleKey.NETWORK_ADMIN in role_keys(user) or is_it_head(user)


def may_review_visit(user) -> bool:
    return RoleKey.NETWORK_ADMIN in role_keys(user)


def may_log_visit(user) -> bool:
    """The 网络管理员 or the 机房管理员 logs arrival and departure."""
    return bool(role_keys(user) & {RoleKey.NETWORK_ADMIN, RoleKey.MACHINE_ROOM_ADMIN})


def may_see_visits(user) -> bool:
    return bool(
        role_keys(user) & {RoleKey.NETWORK_ADMIN, RoleKey.MACHINE_ROOM_ADMIN, *OVERSIGHT}
    ) or is_it_head(user)


def may_record_remote(user) -> bool:
    return RoleKey.NETWORK_ADMIN in role_keys(user)


def may_see_remote(user) -> bool:
    return bool(role_keys(user) & {RoleKey.NETWORK_ADMIN, *OVERSIGHT})


def may_file_upgrade(user) -> bool:
    return RoleKey.NETWORK_ADMIN in role_keys(user)


def may_approve_upgrade(user) -> bool:
    """十: 中心领导."""
    return RoleKey.LEADER in role_keys(user)


def may_see_upgrades(user) -> bool:
    return bool(role_keys(user) & {RoleKey.NETWORK_ADMIN, RoleKey.LEADER, *OVERSIGHT}) or is_it_head(user)
