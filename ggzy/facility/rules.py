"""Who may do what in the facility records. Roles are the center's
(``accounts.choices.RoleKey``); the superuser flag grants nothing here."""

from __future__ import annotations

from django.conf import settings

from ggzy.accounts.choices import RoleKey

from .choices import RoomKind

# 网络安全管理办法 五: the 安全管理员 and 审计管理员 read every record.
OVERSIGHT = frozenset({RoleKey.SECURITY_ADMIN, RoleKey.AUDIT_ADMIN})
KEEPERS = {
    RoomKind.MACHINE_ROOM: RoleKey.MACHINE_ROOM_ADMIN,
    RoomKind.MONITORING_ROOM: RoleKey.MONITORING_ADMIN,
}


def role_keys(user) -> set[str]:
    cached = getattr(user, "_ggzy_facility_roles", None)
    if cached is None:
        cached = user.role_keys() if user.is_authenticated and user.is_active else set()
        user._ggzy_facility_roles = cached
    return cached


def is_supervision_head(user) -> bool:
    """监控管理制度 一: 交易监督科 manages the monitoring room; its 科室负责人 approves viewings (四)."""
    return (
        RoleKey.DEPARTMENT_HEAD in role_keys(user)
        and user.department_id is not None
        and user.department.code == settings.SUPERVISION_DEPARTMENT_CODE
    )


def may_see_rooms(user) -> bool:
    return bool(role_keys(user) & {RoleKey.MACHINE_ROOM_ADMIN, RoleKey.MONITORING_ADMIN, *OVERSIGHT})


def may_keep_room(user, room) -> bool:
    """网络机房管理制度 一, 二(一): the 机房管理员 keeps the machine room; 监控管理制度 一: the
    监控管理员 the monitoring room."""
    return KEEPERS[room.kind] in role_keys(user)


def may_see_viewings(user) -> bool:
    return bool(role_keys(user) & {RoleKey.MONITORING_ADMIN, *OVERSIGHT}) or is_supervision_head(user)


def may_file_viewing(user) -> bool:
    return RoleKey.MONITORING_ADMIN in role_keys(user)


def may_decide_viewing(user) -> bool:
    return is_supervision_head(user)


def is_it_head(user) -> bool:
    return (
        RoleKey.DEPARTMENT_HEAD in role_keys(user)
        and user.department_id is not None
        and user.department.code == settings.IT_DEPARTMENT_CODE
    )


def may_approve_visit(user, room) -> bool:
    """二(八) 得到批准: the machine room's responsible person is the head of 信息科 (五(二)
    机房负责人); the monitoring room's is the head of 交易监督科 (监控管理制度 一)."""
    if room.kind == RoomKind.MONITORING_ROOM:
        return is_supervision_head(user)
    return is_it_head(user)


def may_see_visits(user) -> bool:
    return may_see_rooms(user) or is_it_head(user) or is_supervision_head(user)
