"""Password rules per role (密码、口令管理制度 二), as Django password validators.

Who someone is decides how strong their password must be: the tier is the
strictest among the roles the user holds (or is being given, in the user
admin). Validators learn pending roles through :func:`with_pending_roles`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import RoleKey
from .models import (
    HISTORY_FLOOR,
    OFFICE_MIN_LENGTH_FLOOR,
    PRIVILEGED_MIN_LENGTH_FLOOR,
    PUBLISHING_MIN_CLASSES_FLOOR,
    PasswordHistory,
    PasswordPolicy,
)

__all__ = [
    "ADMIN_ROLES",
    "PUBLISHING_ROLES",
    "PasswordHistoryValidator",
    "PasswordRule",
    "RolePasswordValidator",
    "Tier",
    "password_expires_at",
    "password_rule_for",
    "user_tier",
    "with_pending_roles",
]

# 密码、口令管理制度 二(一): staff "具有公开信息发布权限" — everyone in the approval chain.
PUBLISHING_ROLES = frozenset(
    {
        RoleKey.DRAFTER,
        RoleKey.DEPARTMENT_HEAD,
        RoleKey.REVIEW_GROUP,
        RoleKey.LEADER,
        RoleKey.PUBLISHER,
        RoleKey.WEBSITE_ADMIN,
    }
)
# 网络安全管理办法 三(四): administrators' passwords "足够强壮" — all three classes.
ADMIN_ROLES = frozenset(
    {RoleKey.SYSTEM_ADMIN, RoleKey.SECURITY_ADMIN, RoleKey.AUDIT_ADMIN, RoleKey.NETWORK_ADMIN}
)

_PENDING_ATTR = "_ggzy_pending_role_keys"


class Tier:
    OFFICE = "office"
    PUBLISHING = "publishing"
    ADMIN = "admin"


TIER_LABELS = {
    Tier.OFFICE: gettext_lazy("办公人员"),
    Tier.PUBLISHING: gettext_lazy("具有信息发布权限的人员"),
    Tier.ADMIN: gettext_lazy("管理员"),
}


@dataclass(frozen=True)
class PasswordRule:
    tier: str
    min_length: int
    min_classes: int
    max_age_days: int

    @property
    def label(self) -> str:
        return str(TIER_LABELS[self.tier])


def with_pending_roles(user, role_keys) -> None:
    """Tell the validators which roles ``user`` is about to hold (user admin, services)."""
    setattr(user, _PENDING_ATTR, frozenset(role_keys))


def _role_keys(user) -> frozenset[str]:
    pending = getattr(user, _PENDING_ATTR, None)
    if pending is not None:
        return pending
    if user is None or user.pk is None:
        return frozenset()
    return frozenset(user.role_keys())


def user_tier(user) -> str:
    keys = _role_keys(user)
    if (user is not None and user.is_superuser) or keys & ADMIN_ROLES:
        return Tier.ADMIN
    if keys & PUBLISHING_ROLES:
        return Tier.PUBLISHING
    return Tier.OFFICE


def password_rule_for(user, policy=None) -> PasswordRule:

    policy = policy or PasswordPolicy.load()
    tier = user_tier(user)
    # max() with the floors: a policy row edited around the form still cannot go below.
    if tier == Tier.ADMIN:
        return PasswordRule(
            tier, max(policy.admin_min_length, PRIVILEGED_MIN_LENGTH_FLOOR), 3, policy.admin_max_age_days
        )
    if tier == Tier.PUBLISHING:
        return PasswordRule(
            tier,
            max(policy.publishing_min_length, PRIVILEGED_MIN_LENGTH_FLOOR),
            max(policy.publishing_min_classes, PUBLISHING_MIN_CLASSES_FLOOR),
            policy.publishing_max_age_days,
        )
    return PasswordRule(
        tier, max(policy.office_min_length, OFFICE_MIN_LENGTH_FLOOR), 1, policy.office_max_age_days
    )


def character_classes(password: str) -> int:
    """How many of digits, letters and special characters the password uses."""
    return sum(
        [
            any(c.isdigit() for c in password),
            any(c.isalpha() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )


class RolePasswordValidator:
    """Length and character classes by role (密码、口令管理制度 二(一))."""

    def validate(self, password, user=None):
        rule = password_rule_for(user)
        errors = []
        if len(password) < rule.min_length:
            errors.append(
                ValidationError(
                    _(
                        "密码长度不足：%(who)s的密码至少 %(min)d 位（当前 %(len)d 位）。"
                        "密码、口令管理制度 二(一)。"
                    )
                    % {"who": rule.label, "min": rule.min_length, "len": len(password)},
                    code="password_too_short_for_role",
                )
            )
        classes = character_classes(password)
        if classes < rule.min_classes:
            errors.append(
                ValidationError(
                    _(
                        "字符种类不足：%(who)s的密码须包含数字、字母、特殊字符中至少 %(min)d 种"
                        "（当前 %(n)d 种）。密码、口令管理制度 二(一)。"
                    )
                    % {"who": rule.label, "min": rule.min_classes, "n": classes},
                    code="password_too_few_classes",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):

        policy = PasswordPolicy.load()
        return _(
            "办公人员密码至少 %(office)d 位；具有信息发布权限的人员至少 %(pub)d 位，且包含数字、字母、"
            "特殊字符中至少 %(classes)d 种；管理员至少 %(admin)d 位，且三种字符都要包含"
            "（密码、口令管理制度 二(一)）。"
        ) % {
            "office": policy.office_min_length,
            "pub": policy.publishing_min_length,
            "classes": policy.publishing_min_classes,
            "admin": policy.admin_min_length,
        }


class PasswordHistoryValidator:
    """The last passwords may not be reused (密码、口令管理制度 二(三)).

    Django calls :meth:`password_changed` whenever a user is saved after
    ``set_password``, whatever the path (services, admin, shell), so the
    history is complete without relying on every caller.
    """

    def _count(self) -> int:

        return max(PasswordPolicy.load().history_count, HISTORY_FLOOR)

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return

        count = self._count()
        hashes = list(
            PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)[:count]
        )
        if user.password and user.password not in hashes:
            hashes.insert(0, user.password)
        if any(check_password(password, encoded) for encoded in hashes[:count]):
            raise ValidationError(
                _("不能重复使用最近 %(n)d 次用过的密码。密码、口令管理制度 二(三)。") % {"n": count},
                code="password_reused",
            )

    def password_changed(self, password, user=None):
        if user is None or user.pk is None or not user.password:
            return

        PasswordHistory.objects.create(user_id=user.pk, password=user.password)
        keep = max(self._count(), 24)
        stale = PasswordHistory.objects.filter(user_id=user.pk).values_list("pk", flat=True)[keep:]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self):
        return _("不能与最近 %(n)d 次使用过的密码相同。") % {"n": self._count()}


# --------------------------------------------------------------------------- expiry


def password_expires_at(user, policy=None) -> datetime | None:
    """When the password must be changed (密码、口令管理制度 二(三)); None for unusable ones."""
    if not user.has_usable_password():
        return None
    set_at = user.password_changed_at or user.date_joined
    return set_at + timedelta(days=password_rule_for(user, policy).max_age_days)


def password_expired(user) -> bool:
    expires = password_expires_at(user)
    return expires is not None and timezone.now() >= expires


def password_expiry_warning(user) -> datetime | None:
    """The expiry time if it falls within the warning window, else None."""

    policy = PasswordPolicy.load()
    expires = password_expires_at(user, policy)
    if expires is None:
        return None
    if timezone.now() >= expires - timedelta(days=policy.expiry_warning_days):
        return expires
    return None
