from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("职能科室")
    TRADING = "trading", _("交易科室")


class RoleKey(models.TextChoices):
    """The center's roles. Each is a Django group; the key lets code find it
    even when an administrator renames the group."""

    DRAFTER = "drafter", _("信息员(起草人)")
    DEPARTMENT_HEAD = "department_head", _("科室负责人")
    REVIEW_GROUP = "review_group", _("信息发布管理小组")
    LEADER = "leader", _("分管领导")
    PUBLISHER = "publisher", _("信息发布员")
    WEBSITE_ADMIN = "website_admin", _("网站管理员")
    NETWORK_ADMIN = "network_admin", _("网络管理员")
    MACHINE_ROOM_ADMIN = "machine_room_admin", _("机房管理员")
    MONITORING_ADMIN = "monitoring_admin", _("监控管理员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    # 技术服务外包、维护管理制度 一: approves outsourcing requests, and nothing else.
    CENTER_DIRECTOR = "center_director", _("中心主任")


# 三权分立 (等保三级 separation of the three administrators): no one holds two.
SEPARATED_ADMIN_ROLES = frozenset({RoleKey.SYSTEM_ADMIN, RoleKey.SECURITY_ADMIN, RoleKey.AUDIT_ADMIN})
