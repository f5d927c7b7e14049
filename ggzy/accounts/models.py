"""People and organisation: departments (科室), staff users and their roles."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .choices import DepartmentKind, RoleKey

__all__ = [
    "Department",
    "PasswordHistory",
    "PasswordPolicy",
    "Role",
    "User",
]


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


class CaseInsensitiveUserManager(UserManager):
    """网络安全管理办法 三(二): user names are unique case-insensitively, so
    "ZhangSan" and "zhangsan" log in to the same (single) account."""

    def get_by_natural_key(self, username):
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A personal staff account (网络安全管理办法 三(二): one person, one account)."""

    objects = CaseInsensitiveUserManager()

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
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message=_("该用户名已被使用（用户名不区分大小写）。"),
            ),
        ]

    # Issue 20: people by their names in Chinese order (李小明, not "小明 李"). Every
    # screen, e-mail, PDF and export reads the name here (Wagtail's
    # get_user_display_name and its notifications call these two methods).
    def get_full_name(self) -> str:
        family, given = self.last_name.strip(), self.first_name.strip()
        if (family + given).isascii():
            return f"{given} {family}".strip()  # a Latin name keeps its own order
        return f"{family}{given}"

    def get_short_name(self) -> str:
        return self.get_full_name()

    def __str__(self) -> str:
        # Listings, choosers and templates that print a user show the person, not the login.
        return self.get_full_name() or self.get_username()

    def role_keys(self) -> set[str]:
        return set(Role.objects.filter(group__user=self).values_list("key", flat=True))

    def has_role(self, key: str) -> bool:
        return Role.objects.filter(group__user=self, key=key).exists()


# --------------------------------------------------------------------------- password policy

# 密码、口令管理制度 二(一): the regulation's floors. The policy may raise them, never lower.
OFFICE_MIN_LENGTH_FLOOR = 6
PRIVILEGED_MIN_LENGTH_FLOOR = 12
PUBLISHING_MIN_CLASSES_FLOOR = 2
MAX_AGE_CEILING_DAYS = 90
HISTORY_FLOOR = 5


def _default_office_min_length() -> int:
    return max(getattr(settings, "PASSWORD_MIN_LENGTH", 8), OFFICE_MIN_LENGTH_FLOOR)


class PasswordPolicy(models.Model):
    """The center's password policy (one row), edited by the 安全管理员.

    The regulation's figures are floors (密码、口令管理制度 二(一)) and the
    validators enforce them even if this row is absent or edited in the shell.
    """

    office_min_length = models.PositiveSmallIntegerField(
        _("办公人员密码最小长度"),
        default=_default_office_min_length,
        validators=[MinValueValidator(OFFICE_MIN_LENGTH_FLOOR), MaxValueValidator(64)],
    )
    publishing_min_length = models.PositiveSmallIntegerField(
        _("信息发布人员密码最小长度"),
        default=PRIVILEGED_MIN_LENGTH_FLOOR,
        validators=[MinValueValidator(PRIVILEGED_MIN_LENGTH_FLOOR), MaxValueValidator(64)],
    )
    publishing_min_classes = models.PositiveSmallIntegerField(
        _("信息发布人员密码最少字符种类（数字、字母、特殊字符）"),
        default=PUBLISHING_MIN_CLASSES_FLOOR,
        validators=[MinValueValidator(PUBLISHING_MIN_CLASSES_FLOOR), MaxValueValidator(3)],
    )
    admin_min_length = models.PositiveSmallIntegerField(
        _("管理员密码最小长度"),
        default=PRIVILEGED_MIN_LENGTH_FLOOR,
        validators=[MinValueValidator(PRIVILEGED_MIN_LENGTH_FLOOR), MaxValueValidator(64)],
    )
    office_max_age_days = models.PositiveSmallIntegerField(
        _("办公人员密码有效期（天）"),
        default=MAX_AGE_CEILING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_AGE_CEILING_DAYS)],
    )
    publishing_max_age_days = models.PositiveSmallIntegerField(
        _("信息发布人员密码有效期（天）"),
        default=MAX_AGE_CEILING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_AGE_CEILING_DAYS)],
    )
    admin_max_age_days = models.PositiveSmallIntegerField(
        _("管理员密码有效期（天）"),
        default=MAX_AGE_CEILING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_AGE_CEILING_DAYS)],
    )
    expiry_warning_days = models.PositiveSmallIntegerField(
        _("到期前提醒天数"), default=7, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    history_count = models.PositiveSmallIntegerField(
        _("不得重复使用最近几次的密码"),
        default=HISTORY_FLOOR,
        validators=[MinValueValidator(HISTORY_FLOOR), MaxValueValidator(24)],
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("密码策略")
        verbose_name_plural = _("密码策略")

    def __str__(self) -> str:
        return str(_("密码策略"))

    @classmethod
    def load(cls) -> "PasswordPolicy":
        """The current policy; an unsaved default when none was saved yet."""
        return cls.objects.order_by("pk").first() or cls()


class PasswordHistory(models.Model):
    """A past password hash (密码、口令管理制度 二(三): the last passwords are not reused)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="password_history", verbose_name=_("用户")
    )
    password = models.CharField(_("密码哈希"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")

    def __str__(self) -> str:
        return f"{self.user} @ {self.created_at:%Y-%m-%d}"
