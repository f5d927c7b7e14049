"""Who may do what with the network devices. Roles are the center's
(``accounts.choices.RoleKey``); the superuser flag grants nothing here."""

from __future__ import annotations

from ggzy.accounts.choices import RoleKey

# 网络安全管理办法 四(三): topology and addresses are confidential — only the 网络管理员 and
# the 安全管理员 see management addresses, segments and configurations; the 审计管理员 reads
# them (audit), read-only.
CONFIDENTIAL = frozenset({RoleKey.NETWORK_ADMIN, RoleKey.SECURITY_ADMIN, RoleKey.AUDIT_ADMIN})
# The register without its confidential fields: also the 系统管理员 and the 机房管理员
# (which device stands in which room, who is responsible).
REGISTER_READERS = CONFIDENTIAL | {RoleKey.SYSTEM_ADMIN, RoleKey.MACHINE_ROOM_ADMIN}


def role_keys(user) -> set[str]:
    cached = getattr(user, "_ggzy_network_roles", None)
    if cached is None:
        cached = user.role_keys() if user.is_authenticated and user.is_active else set()
        user._ggzy_network_roles = cached
    return cached


def may_see_devices(user) -> bool:
    return bool(role_keys(user) & REGISTER_READERS)


def may_see_confidential(user) -> bool:
    return bool(role_keys(user) & CONFIDENTIAL)


def may_keep(user) -> bool:
    """The 网络管理员 keeps the register, pulls configurations and records changes
    (网络设备管理制度 第二条: 信息科 maintains the network and its devices)."""
    return RoleKey.NETWORK_ADMIN in role_keys(user)


def may_approve(user) -> bool:
    """四(四) asks that changes be recorded and archived but names no approver; the
    安全管理员 approves (the role the regulation gives approvals over the network's
    security records, 五(五)), never the person who recorded the change."""
    return RoleKey.SECURITY_ADMIN in role_keys(user)
