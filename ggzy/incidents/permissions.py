"""Who may do what in incident response (least privilege, by role; the superuser flag grants nothing)."""

from ggzy.accounts.choices import RoleKey

__all__ = ["RESPONDER_ROLES", "can_dismiss", "can_keep_registers", "can_respond", "can_view"]

# The people who watch the systems and act on incidents (应急预案 第三–七条: 计算机操作员,
# 网络管理员, 系统管理员 …; 安全管理员 oversees).
RESPONDER_ROLES = frozenset(
    {
        RoleKey.SECURITY_ADMIN,
        RoleKey.NETWORK_ADMIN,
        RoleKey.SYSTEM_ADMIN,
        RoleKey.WEBSITE_ADMIN,
        RoleKey.MACHINE_ROOM_ADMIN,
        RoleKey.MONITORING_ADMIN,
    }
)
# Read-only: the 审计管理员 checks what was done; the 分管领导 (领导小组) follows incidents
# and its lead signs the 第九条 report off.
READER_ROLES = frozenset({RoleKey.AUDIT_ADMIN, RoleKey.LEADER})


def _roles(user) -> set[str]:
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_ggzy_incident_roles", None)
    if cached is None:
        cached = user.role_keys()
        user._ggzy_incident_roles = cached
    return cached


def can_respond(user) -> bool:
    """Promote alerts, open and work incidents."""
    return bool(_roles(user) & RESPONDER_ROLES)


def can_view(user) -> bool:
    return bool(_roles(user) & (RESPONDER_ROLES | READER_ROLES))


def can_dismiss(user) -> bool:
    """Dismissing may hide an attack: only the 安全管理员, with a reason."""
    return RoleKey.SECURITY_ADMIN in _roles(user)


def can_keep_registers(user) -> bool:
    """The readiness registers (第十、十一、十三–十六条) are the 安全管理员's: the contacts
    roster decides who is alerted."""
    return RoleKey.SECURITY_ADMIN in _roles(user)
