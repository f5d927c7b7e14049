"""Who may do what in the asset ledger (网络与系统安全维护管理制度 一).

一(一): 各科室使用的计算机硬件及配套设备统一由中心信息科负责管理 — the 网络管理员
(a 信息科 role) keeps the ledger, handles repairs and appraises; 一(五)'s approval
(报有关部门批准) is the 分管领导's. Everyone may report a fault of what they hold.
"""

from ggzy.accounts.choices import RoleKey
from ggzy.vendors.rules import OVERSIGHT, role_keys


def may_manage_assets(user) -> bool:
    return RoleKey.NETWORK_ADMIN in role_keys(user)


def may_see_ledger(user) -> bool:
    return may_manage_assets(user) or bool(role_keys(user) & {RoleKey.LEADER, *OVERSIGHT})


def may_approve_disposal(user) -> bool:
    return RoleKey.LEADER in role_keys(user)


def may_report(user) -> bool:
    return bool(user.is_authenticated and user.is_active)
