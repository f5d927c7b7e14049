"""Who may see and keep the screen register (least privilege).

网络设备管理制度 第三条 puts the screens with the staff who maintain the center's
facilities: the 机房管理员 keeps the hall's devices (the facility registers), so only
that role registers and configures screens. The 网站管理员 answers for what the
public sees (第九条: the screens carry only what the website publishes) and reads the
register and the screens' state; the 安全管理员 and the 审计管理员 read it as they
read every facility register. The register has no field whose text reaches a screen.
"""

from ggzy.accounts.choices import RoleKey

KEEPERS = frozenset({RoleKey.MACHINE_ROOM_ADMIN})
READERS = KEEPERS | {RoleKey.WEBSITE_ADMIN, RoleKey.SECURITY_ADMIN, RoleKey.AUDIT_ADMIN}


def role_keys(user) -> set[str]:
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    return set(user.role_keys())


def may_see(user) -> bool:
    return bool(role_keys(user) & READERS)


def may_keep(user, register=None, row=None) -> bool:
    return bool(role_keys(user) & KEEPERS)
