"""Writes for people, departments and roles. Views and commands call these."""

import secrets
import string
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.core.snapshots import snapshot

from . import events, first_password
from .choices import SEPARATED_ADMIN_ROLES, RoleKey
from .models import Department, Role, User
from .passwords import Tier, user_tier, with_pending_roles

# --------------------------------------------------------------------------- rules


def validate_role_combination(groups: Iterable[Group]) -> None:
    """三权分立: 系统管理员, 安全管理员 and 审计管理员 are never held by one person."""
    group_ids = [g.pk for g in groups]
    held = list(
        Role.objects.filter(group_id__in=group_ids, key__in=SEPARATED_ADMIN_ROLES)
        .select_related("group")
        .order_by("key")
    )
    if len(held) > 1:
        raise ValidationError(
            _("三权分立：系统管理员、安全管理员、审计管理员不得由同一人兼任（本次选择了：%(roles)s）。")
            % {"roles": "、".join(role.group.name for role in held)},
            code="separation_of_duties",
        )


def generate_password(length: int = 20) -> str:
    """A strong random password with digits, letters and special characters.

    密码、口令管理制度 一(二): >= 16 characters mixing the three classes.
    """
    alphabet = string.ascii_letters + string.digits + "!@#$%^&*-_=+"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if (
            any(c.isdigit() for c in candidate)
            and any(c.isalpha() for c in candidate)
            and any(not c.isalnum() for c in candidate)
        ):
            return candidate


# --------------------------------------------------------------------------- departments and roles


@transaction.atomic
def department_ensure(*, code: str, name: str, kind: str, sort_order: int) -> tuple[Department, bool]:
    """Create the department if missing; an existing one keeps its edited name."""
    return Department.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind, "sort_order": sort_order}
    )


@transaction.atomic
def role_ensure(*, key: str, name: str, description: str, permissions: Iterable[str]) -> tuple[Role, bool]:
    """Create the role's group if missing and grant the listed model permissions.

    Permissions are ``app_label.codename``. Only missing ones are added: an
    administrator's later changes are not overwritten by a re-run.
    """
    if key not in RoleKey.values:
        raise ValueError(f"unknown role key {key!r}")
    role = Role.objects.select_related("group").filter(key=key).first()
    created = role is None
    if created:
        group, _ = Group.objects.get_or_create(name=name)
        role = Role.objects.create(group=group, key=key, description=description)
    wanted = []
    for dotted in permissions:
        app_label, codename = dotted.split(".", 1)
        try:
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        except Permission.DoesNotExist as exc:
            raise ValueError(f"role {key}: unknown permission {dotted!r}") from exc
    role.group.permissions.add(*wanted)
    return role, created


def role_group(key: str) -> Group:
    return Role.objects.select_related("group").get(key=key).group


# --------------------------------------------------------------------------- users

# What an audit record keeps of an account (never the password hash).
USER_AUDIT_FIELDS = (
    "username",
    "email",
    "first_name",
    "last_name",
    "department",
    "is_active",
    "is_staff",
    "is_superuser",
    "must_change_password",
)


def user_audit_snapshot(user: User) -> dict:
    return snapshot(user, USER_AUDIT_FIELDS)


# The fields of an account an administrator edits (the user admin's form).
USER_EDITABLE_FIELDS = frozenset({"username", "email", "first_name", "last_name", "department", "is_active"})

_TIER_RANK = {Tier.OFFICE: 0, Tier.PUBLISHING: 1, Tier.ADMIN: 2}


def _check_roles(groups: list[Group]) -> None:
    try:
        validate_role_combination(groups)
    except ValidationError as exc:
        raise ValidationError({"groups": exc.error_list}) from exc


def _check_department(department: Department | None) -> None:
    # 网络安全管理办法 三(二): every staff account belongs to one department.
    if department is None:
        raise ValidationError({"department": _("请选择所属科室。")}, code="required")


def _check_password(password: str, user: User) -> None:
    # 密码、口令管理制度 二(一): judged by the rule of the roles ``user`` holds or is being given.
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.error_list}) from exc


def _apply_roles(user: User, groups: list[Group]) -> None:
    """Check a new set of roles and mark what follows from it on ``user`` (unsaved).

    Moved into a stricter password tier, the old password was never checked
    against it: it must be changed at next login (密码、口令管理制度 二(一)).
    """
    _check_roles(groups)
    previous_tier = user_tier(user) if user.pk else None
    with_pending_roles(user, Role.objects.filter(group__in=groups).values_list("key", flat=True))
    if previous_tier is not None and _TIER_RANK[user_tier(user)] > _TIER_RANK[previous_tier]:
        user.must_change_password = True


def _apply_admin_password(user: User, password: str) -> None:
    """密码、口令管理制度 二(一)/(二): a password set by an administrator meets the
    rule of the user's roles and must be changed at first login."""
    _check_password(password, user)
    user.set_password(password)
    user.must_change_password = True


@transaction.atomic
def user_set_roles(*, user: User, groups: Iterable[Group]) -> None:
    """Give ``user`` exactly these roles (三权分立 checked; a stricter tier forces a
    password change). The change is recorded by the audit app's membership receiver."""
    groups = list(groups)
    _apply_roles(user, groups)
    user.save(update_fields=["must_change_password"])
    user.groups.set(groups)


@transaction.atomic
def user_create(
    *,
    username: str,
    department: Department | None,
    password: str,
    groups: Iterable[Group] = (),
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    is_active: bool = True,
    actor: User | None = None,
) -> User:
    """Create a staff account whose password was set by an administrator.

    密码、口令管理制度 二(一): such a password must be changed at first login.
    """
    groups = list(groups)
    _check_department(department)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("用户名“%(name)s”已被使用。") % {"name": username}})
    user = User(
        username=username,
        department=department,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_active=is_active,
    )
    _apply_roles(user, groups)
    _apply_admin_password(user, password)
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set(groups)
    events.emit(
        "accounts.user.created", actor=actor, obj=user, after=user_audit_snapshot(user), password_set=True
    )
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    changes: Mapping[str, Any],
    groups: Iterable[Group] | None = None,
    password: str = "",
    actor: User | None = None,
) -> User:
    """An administrator edits an account: ``changes`` (of USER_EDITABLE_FIELDS), its
    roles when ``groups`` is given, its password when ``password`` is not empty.

    Returns the saved account (read afresh: ``user`` may carry unsaved edits).
    A password reset ends the owner's sessions (密码、口令管理制度 二(二)).
    """
    unknown = set(changes) - USER_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"user_update cannot change {sorted(unknown)}")
    if "department" in changes:
        _check_department(changes["department"])
    account = User.objects.select_for_update().get(pk=user.pk)
    before = user_audit_snapshot(account)
    for name, value in changes.items():
        setattr(account, name, value)
    if groups is not None:
        groups = list(groups)
        _apply_roles(account, groups)
    if password:
        _apply_admin_password(account, password)
    account.full_clean(exclude=["password"])
    account.save()
    if groups is not None:
        account.groups.set(groups)
    after = user_audit_snapshot(account)
    changed = sorted(k for k in after if before[k] != after[k])
    events.emit(
        "accounts.user.updated",
        actor=actor,
        obj=account,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        password_set=bool(password),
    )
    if password:
        user_sessions_end(user=account)
        events.emit("accounts.password.reset", actor=actor, obj=account)
    return account


@transaction.atomic
def user_delete(*, user: User, actor: User | None = None) -> None:
    """Delete an account (the admin's delete; departures disable instead).

    No one deletes their own account, and only a superuser deletes a superuser.
    """
    if actor is not None and (actor.pk == user.pk or (user.is_superuser and not actor.is_superuser)):
        raise PermissionDenied(_("不能删除该用户。"))
    events.emit("accounts.user.deleted", actor=actor, obj=user, before=user_audit_snapshot(user))
    user.delete()


@transaction.atomic
def service_user_ensure(
    *, username: str, department: Department, role: str, first_name: str = "", last_name: str = ""
) -> User:
    """An account that acts for a system (the intake API's sender), never a person:
    it has no usable password, so it cannot log in; created once, audited then."""
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    user = User(username=username, first_name=first_name, last_name=last_name, department=department)
    user.set_unusable_password()
    user.save()
    user.groups.set([role_group(role)])
    events.emit("accounts.user.created", obj=user, after=user_audit_snapshot(user), service_account=True)
    return user


@transaction.atomic
def user_set_password_by_admin(*, user: User, password: str, actor: User | None = None) -> None:
    """An administrator (re)sets a password (二(二)): the owner must change it at
    next login, and every session the owner had is ended."""
    _apply_admin_password(user, password)
    user.save(update_fields=["password", "must_change_password"])
    user_sessions_end(user=user)
    events.emit("accounts.password.reset", actor=actor, obj=user)
    transaction.on_commit(lambda: first_password.forget(user=user))


@transaction.atomic
def user_change_own_password(*, actor: User, new_password: str, keep_session_key: str | None = None) -> None:
    """The owner (``actor``) chose a new password: clear the forced-change flag and
    log out every other session (the caller keeps its own with update_session_auth_hash)."""
    validate_password(new_password, user=actor)
    actor.set_password(new_password)
    actor.must_change_password = False
    actor.password_changed_at = timezone.now()
    actor.save(update_fields=["password", "must_change_password", "password_changed_at"])
    ended = user_sessions_end(user=actor, keep_session_key=keep_session_key)
    events.emit("accounts.password.changed", actor=actor, obj=actor, sessions_ended=ended)
    # Issue 20: the first administrator's password file lives until this change.
    transaction.on_commit(lambda: first_password.forget(user=actor))


def user_sessions_end(*, user: User, keep_session_key: str | None = None) -> int:
    """Delete the user's server-side sessions (all but ``keep_session_key``).

    Django's session auth hash already invalidates them after a password
    change; deleting them also covers disabling and departures. Sessions are
    in the database (SESSION_ENGINE default); a center has few live sessions.
    """
    doomed = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key == keep_session_key:
            continue
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            doomed.append(session.session_key)
    Session.objects.filter(session_key__in=doomed).delete()
    return len(doomed)


@transaction.atomic
def user_lock(*, user: User, actor: User, reason: str) -> int:
    """Lock an account in an incident (网络信息安全故障应急预案 第六条(二): 封锁被攻破的登录账号):
    disable it and end its sessions at once; returns the number of sessions ended."""
    if actor.pk == user.pk:
        raise ValidationError(_("不能封锁自己的账号。"))
    if not reason.strip():
        raise ValidationError(_("请填写封锁账号的原因。"))
    user = User.objects.select_for_update().get(pk=user.pk)
    was_active = user.is_active
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = user_sessions_end(user=user)
    events.emit(
        "accounts.user.locked",
        actor=actor,
        obj=user,
        reason=reason.strip(),
        was_active=was_active,
        sessions_ended=ended,
    )
    return ended


@transaction.atomic
def bootstrap_admin_ensure(*, username: str, department: Department) -> tuple[User, str] | None:
    """Create the first 系统管理员 once, with a generated password.

    Returns ``(user, password)`` when it was created (the caller prints the
    password once), or None when a superuser already exists. This is the only
    superuser the system has; it holds the 系统管理员 role and nothing else.
    """
    if User.objects.filter(is_superuser=True).exists():
        return None
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            _("用户名“%(name)s”已存在但不是系统管理员，请换用其他用户名。") % {"name": username}
        )
    password = generate_password()
    user = User(
        username=username,
        department=department,
        is_superuser=True,
        is_staff=True,
        must_change_password=True,
        first_name="",
        last_name=_("系统管理员"),
    )
    user.set_password(password)
    user.save()
    user.groups.set([role_group(RoleKey.SYSTEM_ADMIN)])
    events.emit("accounts.user.created", obj=user, after=user_audit_snapshot(user), bootstrap=True)
    return user, password


# --------------------------------------------------------------------------- lockout


def user_unlock(*, username: str, actor: User | None = None, ip: str | None = None) -> int:
    """Lift a lockout (django-axes) before its cool-off ends; returns attempts cleared.

    Only the 系统管理员 unlocks accounts (密码、口令管理制度 二(二)); the admin
    view checks the role, the management command runs as the operator.
    """
    from axes.utils import reset

    if actor is not None and not can_manage_accounts(actor):
        raise PermissionDenied(_("只有系统管理员可以解除账号锁定。"))
    cleared = reset(username=username.strip().lower())
    if ip:
        cleared += reset(ip=ip)
    events.emit("accounts.user.unlocked", actor=actor, username=username, ip=ip, attempts_cleared=cleared)
    return cleared


def can_manage_accounts(user: User) -> bool:
    """The 系统管理员 (and the bootstrap superuser, who holds that role)."""
    return user.is_active and (user.is_superuser or user.has_role(RoleKey.SYSTEM_ADMIN))


# --------------------------------------------------------------------------- dormant accounts


@transaction.atomic
def dormant_accounts_disable(*, days: int | None = None, dry_run: bool = False) -> list[User]:
    """网络安全管理办法 三(二): accounts unused for ``days`` (DORMANT_ACCOUNT_DAYS,
    default 90) are disabled and their sessions ended.

    Unused means no login since then (or never, and created before then). The
    bootstrap superuser is left alone so that the center can never lock itself
    out of account administration; it is reported by the command instead.
    """
    from django.conf import settings
    from django.db.models import Q

    days = days or settings.DORMANT_ACCOUNT_DAYS
    cutoff = timezone.now() - timedelta(days=days)
    dormant = list(
        User.objects.filter(is_active=True, is_superuser=False)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .order_by("username")
    )
    if dry_run:
        return dormant
    for user in dormant:
        user.is_active = False
        user.save(update_fields=["is_active"])
        user_sessions_end(user=user)
        events.emit(
            "accounts.user.disabled_dormant",
            obj=user,
            last_login=user.last_login.isoformat() if user.last_login else None,
            days=days,
        )
    return dormant
