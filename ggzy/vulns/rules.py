"""Who may do what in vulnerability management (网络安全管理办法 二(一)(二)).

Roles are the center's; the superuser flag grants nothing here."""

from __future__ import annotations

from ggzy.accounts.choices import RoleKey


def role_keys(user) -> set[str]:
    if not (user and user.is_authenticated and user.is_active):
        return set()
    return user.role_keys()


def may_see(user) -> bool:
    """二(一): the three administrators analyse the results; the 审计管理员 reads."""
    return bool(
        role_keys(user)
        & {RoleKey.NETWORK_ADMIN, RoleKey.SYSTEM_ADMIN, RoleKey.SECURITY_ADMIN, RoleKey.AUDIT_ADMIN}
    )


def may_write_plan(user) -> bool:
    """二(二): the 网络管理员 describes the scan before running it."""
    return RoleKey.NETWORK_ADMIN in role_keys(user)


def may_decide_plan(user, plan) -> bool:
    """The 安全管理员 approves, never their own plan."""
    return RoleKey.SECURITY_ADMIN in role_keys(user) and plan.author_id != user.pk


def may_run_scan(user) -> bool:
    return RoleKey.NETWORK_ADMIN in role_keys(user)


def may_triage(user) -> bool:
    """Assign, confirm fixed, mark false positive: the 网络管理员 or the 安全管理员."""
    return bool(role_keys(user) & {RoleKey.NETWORK_ADMIN, RoleKey.SECURITY_ADMIN})


def may_accept_risk(user) -> bool:
    return RoleKey.SECURITY_ADMIN in role_keys(user)


def may_record_endpoints(user) -> bool:
    """网络与系统安全维护管理制度 二(二): 信息科 looks after the machines' software."""
    return RoleKey.NETWORK_ADMIN in role_keys(user)
