"""People and organisation: departments (科室), staff users and their roles."""

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .choices import DepartmentKind, RoleKey

__all__ = ["Department", "Role", "User"]


class Department(models.Model):
    """A department (科室) of the center; every staff user belongs to exactly one."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    kind = models.CharField(
        _("类别"),
        max_length=20,
        choices=DepartmentKind.choices,
        default=DepartmentKind.ADMINISTRATIVE,
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("科室")
        verbose_name_plural = _("科室")

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """Marks a Django group as one of the center's roles (see RoleKey).

    Groups stay the unit Wagtail's permission system understands; the role key
    lets rules such as 三权分立 find them whatever their display name.
    """

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="role")
    key = models.CharField(_("角色"), max_length=40, choices=RoleKey.choices, unique=True)
    description = models.TextField(_("职责"), blank=True)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")

    def __str__(self) -> str:
        return self.group.name


class User(AbstractUser):
    """A personal staff account (网络安全管理办法 三(二): one person, one account)."""

    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("所属科室"),
    )
    # 密码、口令管理制度 二(一): a password set by an administrator is changed at first login.
    must_change_password = models.BooleanField(_("须在下次登录时修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    REQUIRED_FIELDS = ["email", "department"]

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # 网络安全管理办法 三(二): identities are unique, case-insensitively.
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]

    def role_keys(self) -> set[str]:
        return set(Role.objects.filter(group__user=self).values_list("key", flat=True))

    def has_role(self, key: str) -> bool:
        return Role.objects.filter(group__user=self, key=key).exists()
