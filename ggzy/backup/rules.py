"""Who may do what with backups. 三权分立: the 系统管理员 runs backups and drills; the
审计管理员 and 安全管理员 read. Restoring is only on the command line, on purpose."""

from __future__ import annotations

from ggzy.accounts.choices import RoleKey


def role_keys(user) -> set[str]:
    if not (user and user.is_authenticated and user.is_active):
        return set()
    return user.role_keys()


def may_see(user) -> bool:
    return bool(role_keys(user) & {RoleKey.SYSTEM_ADMIN, RoleKey.AUDIT_ADMIN, RoleKey.SECURITY_ADMIN})


def may_run(user) -> bool:
    return RoleKey.SYSTEM_ADMIN in role_keys(user)
