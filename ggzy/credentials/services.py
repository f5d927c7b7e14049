"""Writes of the credential vault (密码、口令管理制度 一).

Every write validates, then records its audit event in the same transaction; a
refused attempt that matters for security is recorded in a transaction of its
own (the caller's is rolled back). No plaintext secret ever reaches the audit
data, a log line or an exception message: functions that hold one are marked
``sensitive_variables`` so that Django's error reports leave it out too.
"""

from __future__ import annotations

import datetime as dt
import secrets
import string
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.mfa import MfaThrottled, mfa_enrolled, mfa_verify
from ggzy.accounts.models import User
from ggzy.audit import services as audit
from ggzy.audit.choices import Outcome
from ggzy.compliance.models import Occurrence
from ggzy.compliance.registry import ObligationSpec
from ggzy.compliance.services import obligation_deactivate, obligation_ensure, occurrence_complete
from ggzy.core.branding import mail_subject
from ggzy.core.snapshots import snapshot

from . import crypto
from .choices import ChangeStatus, CredentialStatus, RevealStatus
from .models import Credential, PendingChange, RevealGrant, SecretVersion
from .registry import system_use_label
from .selectors import (
    is_department_head_for,
    is_holder,
    is_network_admin,
    may_approve_reveal,
    may_manage,
)

__all__ = [
    "CREDENTIAL_FIELDS",
    "ConfirmRefused",
    "change_expire_due",
    "credential_create",
    "credential_retire",
    "credential_update",
    "leak_report",
    "master_key_rewrap",
    "password_generate",
    "reveal_approve",
    "reveal_request",
    "secret_change_cancel",
    "secret_change_confirm",
    "secret_change_start",
    "secret_for_system",
    "secret_reveal",
    "server_password_problems",
]

CREDENTIAL_FIELDS = (
    "name",
    "kind",
    "target",
    "username",
    "department",
    "holders",
    "require_second_approver",
    "rotation_months",
    "system_use",
)
# 密码、口令管理制度 一(二): at least 16 characters, digits, letters and special characters.
SERVER_PASSWORD_MIN_LENGTH = 16
GENERATED_LENGTH = 24
SPECIALS = "!#$%&*+-=?@^_~.,:;"


def _refuse(action: str, *, actor, obj, reason: str, **extra: Any) -> None:
    """Record a refused attempt in its own transaction."""
    with transaction.atomic():
        audit.record(action=action, actor=actor, obj=obj, outcome=Outcome.FAILURE, reason=reason, **extra)


# --------------------------------------------------------------------------- password rule


@sensitive_variables("password")
def server_password_problems(password: str) -> list[str]:
    """What a server password lacks (密码、口令管理制度 一(二)); empty when it complies."""
    problems = []
    if len(password) < SERVER_PASSWORD_MIN_LENGTH:
        problems.append(
            _("口令长度不得少于 %(min)d 位（当前 %(len)d 位）。密码、口令管理制度 一(二)。")
            % {"min": SERVER_PASSWORD_MIN_LENGTH, "len": len(password)}
        )
    missing = [
        label
        for label, present in (
            (_("数字"), any(c.isdigit() for c in password)),
            (_("字母"), any(c.isalpha() for c in password)),
            (_("特殊字符"), any(not c.isalnum() and not c.isspace() for c in password)),
        )
        if not present
    ]
    if missing:
        problems.append(
            _("口令须由数字、字母和特殊字符三种组合组成，缺少：%(missing)s。密码、口令管理制度 一(二)。")
            % {"missing": _("、").join(missing)}
        )
    if any(c.isspace() or not c.isprintable() for c in password):
        problems.append(_("口令不能包含空格或不可见字符。"))
    return problems


def password_generate(length: int = GENERATED_LENGTH) -> str:
    """A random password from ``secrets`` with every class of 一(二)."""
    alphabet = string.ascii_letters + string.digits + SPECIALS
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if not server_password_problems(candidate) and any(c.isupper() for c in candidate):
            return candidate


# --------------------------------------------------------------------------- the credential record


def _rotation_spec(credential: Credential) -> ObligationSpec:
    starts_on = credential.rotation_due_on or (
        timezone.localdate() + relativedelta(months=credential.rotation_months)
    )
    return ObligationSpec(
        key=credential.obligation_key,
        title=_("定期更换口令：%(name)s") % {"name": credential.name},
        clauses=("mm.1.3",),
        owner_role=RoleKey.NETWORK_ADMIN,
        rrule=f"FREQ=MONTHLY;INTERVAL={credential.rotation_months}",
        starts_on=starts_on,
        evidence="none",
        non_working_day="previous",
        checklist=(
            {
                "key": "rotated",
                "label": _("已由科室负责人和网络管理员两人同时在场更换口令"),
                "type": "yes_no",
                "expected": True,
            },
        ),
        due_soon_days=14,
    )


def _snapshot(credential: Credential) -> dict[str, Any]:
    return snapshot(credential, CREDENTIAL_FIELDS)


def _validate_holders(holders) -> None:
    inactive = [str(user) for user in holders if not user.is_active]
    if inactive:
        raise ValidationError(
            {"holders": _("已停用的账号不能查看口令：%(u)s") % {"u": _("、").join(inactive)}}
        )


def _validate_system_use(key: str) -> None:
    if key and system_use_label(key) is None:
        raise ValidationError({"system_use": _("未知的自动化使用：%(key)s") % {"key": key}})


@transaction.atomic
def credential_create(*, actor: User, holders=(), **data: Any) -> Credential:
    """Register a credential (its password is set afterwards by two people)."""
    credential = Credential(created_by=actor, **data)
    if not may_manage(actor, credential):
        raise PermissionDenied(_("只有网络管理员或该科室的科室负责人可以登记特权口令。"))
    _validate_holders(holders)
    _validate_system_use(credential.system_use)
    credential.full_clean(exclude=["created_by"])
    credential.save()
    credential.holders.set(holders)
    obligation_ensure(spec=_rotation_spec(credential), actor=actor)
    audit.record(
        action="credentials.credential.created", actor=actor, obj=credential, after=_snapshot(credential)
    )
    return credential


@transaction.atomic
def credential_update(*, credential: Credential, actor: User, holders=None, **data: Any) -> Credential:
    """Change the record (never the password: that is :func:`secret_change_start`)."""
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if not may_manage(actor, credential):
        raise PermissionDenied(_("只有网络管理员或该科室的科室负责人可以修改特权口令的登记信息。"))
    if credential.status == CredentialStatus.RETIRED:
        raise ValidationError(_("已停用的口令不能修改。"))
    before = _snapshot(credential)
    for name, value in data.items():
        setattr(credential, name, value)
    if not may_manage(actor, credential):
        raise PermissionDenied(_("不能把口令移交给您不负责的科室。"))
    _validate_system_use(credential.system_use)
    credential.full_clean()
    credential.save()
    if holders is not None:
        _validate_holders(holders)
        credential.holders.set(holders)
    obligation_ensure(spec=_rotation_spec(credential), actor=actor)
    audit.record(
        action="credentials.credential.updated",
        actor=actor,
        obj=credential,
        before=before,
        after=_snapshot(credential),
    )
    return credential


@transaction.atomic
def credential_retire(*, credential: Credential, actor: User, reason: str) -> Credential:
    """The account no longer exists: nothing can be revealed or changed; history stays sealed."""
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if not may_manage(actor, credential):
        raise PermissionDenied(_("只有网络管理员或该科室的科室负责人可以停用特权口令。"))
    if not reason.strip():
        raise ValidationError(_("请填写停用原因。"))
    if credential.status == CredentialStatus.RETIRED:
        raise ValidationError(_("该口令已停用。"))
    credential.status = CredentialStatus.RETIRED
    credential.retired_at = timezone.now()
    credential.save(update_fields=["status", "retired_at"])
    for change in credential.changes.filter(status=ChangeStatus.PENDING):
        _close_change(change, ChangeStatus.CANCELLED, actor)
    credential.reveals.filter(status__in=[RevealStatus.AWAITING_APPROVAL, RevealStatus.APPROVED]).update(
        status=RevealStatus.EXPIRED
    )
    obligation_deactivate(key=credential.obligation_key, actor=actor)
    audit.record(action="credentials.credential.retired", actor=actor, obj=credential, reason=reason.strip())
    return credential


# --------------------------------------------------------------------------- two people present (一(一))


def _close_change(change: PendingChange, status: str, actor) -> None:
    change.status = status
    change.decided_at = timezone.now()
    change.clear_sealed()  # the value is dropped, not kept twice (or kept at all)
    change.save(update_fields=["status", "decided_at", "wrapped_key", "ciphertext", "key_id"])


@sensitive_variables("new_secret", "sealed")
def secret_change_start(
    *, credential: Credential, actor: User, reason: str, new_secret: str | None = None
) -> PendingChange:
    """The first person enters the new password (or has ggzy generate it); the
    second must confirm within CREDENTIALS_CONFIRM_MINUTES."""
    if not may_manage(actor, credential):
        _refuse("credentials.change.refused", actor=actor, obj=credential, reason="not a manager")
        raise PermissionDenied(_("只有网络管理员或该科室的科室负责人可以设定口令。"))
    with transaction.atomic():
        credential = Credential.objects.select_for_update().get(pk=credential.pk)
        if credential.status == CredentialStatus.RETIRED:
            raise ValidationError(_("已停用的口令不能再设定。"))
        if not reason.strip():
            raise ValidationError({"reason": _("请填写设定或更换的原因。")})
        _expire_overdue(credential.changes.filter(status=ChangeStatus.PENDING))
        if credential.changes.filter(status=ChangeStatus.PENDING).exists():
            raise ValidationError(_("该口令已有一项变更在等待确认，请先确认或撤销。"))
        generated = not new_secret
        if generated:
            new_secret = password_generate()
        problems = server_password_problems(new_secret)
        if problems:
            raise ValidationError({"new_secret": problems})
        change = PendingChange(
            credential=credential,
            generated=generated,
            reason=reason.strip()[:300],
            started_by=actor,
            expires_at=timezone.now() + dt.timedelta(minutes=settings.CREDENTIALS_CONFIRM_MINUTES),
        )
        sealed = crypto.seal(new_secret, sealed_id=str(change.sealed_id))
        change.store(sealed)
        change.save()
        audit.record(
            action="credentials.change.started",
            actor=actor,
            obj=credential,
            change=change.pk,
            generated=generated,
            reason=change.reason,
            expires_at=change.expires_at,
        )
    return change


class ConfirmRefused(ValidationError):
    """The confirmation was refused; the change stays pending until it expires."""


def _pair_ok(credential: Credential, starter: User, confirmer: User) -> bool:
    """一(一): one is the 部门负责人 (科室负责人 of the credential's department), the
    other the 网络管理员, and they are two different people."""
    if starter.pk == confirmer.pk:
        return False
    return (is_department_head_for(starter, credential) and is_network_admin(confirmer)) or (
        is_network_admin(starter) and is_department_head_for(confirmer, credential)
    )


@sensitive_variables("password", "otp_token")
def secret_change_confirm(
    *, change: PendingChange, actor: User, password: str, otp_token: str, request
) -> SecretVersion:
    """The second person confirms with their own password and TOTP code. Each
    refusal is audited and raises ConfirmRefused (a Chinese message)."""

    def refuse(code: str, message: str):
        _refuse(
            "credentials.change.confirm_refused",
            actor=actor,
            obj=change.credential,
            reason=code,
            change=change.pk,
        )
        raise ConfirmRefused(message)

    change = PendingChange.objects.select_related("credential", "started_by").get(pk=change.pk)
    credential = change.credential
    if change.status != ChangeStatus.PENDING:
        raise ConfirmRefused(_("该变更已处理（%(status)s）。") % {"status": change.get_status_display()})
    if timezone.now() >= change.expires_at:
        with transaction.atomic():
            _expire_overdue(PendingChange.objects.filter(pk=change.pk))
        refuse(
            "expired",
            _("已超过确认时限（%(m)d 分钟），该变更已作废，请重新发起。")
            % {"m": settings.CREDENTIALS_CONFIRM_MINUTES},
        )
    if actor.pk == change.started_by_id:
        refuse(
            "same_person", _("设定口令须两人同时在场：确认人不能是发起人本人。密码、口令管理制度 一(一)。")
        )
    if not _pair_ok(credential, change.started_by, actor):
        refuse(
            "wrong_roles",
            _(
                "设定口令须由该科室的科室负责人和网络管理员两人共同完成，您不能确认此变更。"
                "密码、口令管理制度 一(一)。"
            ),
        )
    user = authenticate(request, username=actor.get_username(), password=password)
    if user is None or user.pk != actor.pk:
        refuse("wrong_password", _("登录密码不正确。"))
    token = (otp_token or "").strip().replace(" ", "")
    if not mfa_enrolled(actor):
        refuse("no_mfa", _("您尚未设置双因素认证，不能确认口令变更。"))
    if not (token.isdigit() and len(token) == 6):
        refuse("wrong_otp", _("请输入验证器上的 6 位动态验证码。"))
    try:
        verified = mfa_verify(actor=actor, token=token, request=request)
    except MfaThrottled as exc:
        refuse("otp_throttled", _("验证码错误次数过多，请 %(s)d 秒后再试。") % {"s": exc.wait_seconds})
    if not verified:
        refuse("wrong_otp", _("动态验证码不正确或已使用过。"))
    return _apply_change(change=change, confirmer=actor)


@transaction.atomic
def _apply_change(*, change: PendingChange, confirmer: User) -> SecretVersion:
    change = PendingChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeStatus.PENDING or timezone.now() >= change.expires_at:
        raise ConfirmRefused(_("该变更已处理或已超时。"))
    credential = Credential.objects.select_for_update().get(pk=change.credential_id)
    now = timezone.now()
    previous = credential.current_version()
    if previous is not None:
        previous.superseded_at = now
        previous.save(update_fields=["superseded_at"])
    number = (credential.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = SecretVersion(
        credential=credential,
        number=number,
        generated=change.generated,
        reason=change.reason,
        set_by=change.started_by,
        confirmed_by=confirmer,
        sealed_id=change.sealed_id,  # the ciphertext is bound to this id
    )
    version.store(change.sealed())
    change.clear_sealed()
    # The version takes over the sealed value and its id: one copy only.
    change.status = ChangeStatus.CONFIRMED
    change.decided_by, change.decided_at = confirmer, now
    change.save()
    version.save()
    change.version = version
    change.save(update_fields=["version"])
    after_leak = credential.status == CredentialStatus.COMPROMISED
    credential.status = CredentialStatus.ACTIVE
    credential.last_rotated_at = now
    credential.rotation_due_on = timezone.localdate(now) + relativedelta(months=credential.rotation_months)
    credential.save(update_fields=["status", "last_rotated_at", "rotation_due_on"])
    # Reveals approved for the old value are void.
    credential.reveals.filter(status__in=[RevealStatus.AWAITING_APPROVAL, RevealStatus.APPROVED]).update(
        status=RevealStatus.EXPIRED
    )
    _complete_rotation_duties(
        credential, confirmer if is_network_admin(confirmer) else change.started_by, version
    )
    audit.record(
        action="credentials.secret.changed",
        actor=confirmer,
        obj=credential,
        version=number,
        set_by=change.started_by.get_username(),
        confirmed_by=confirmer.get_username(),
        generated=change.generated,
        after_leak=after_leak,
        reason=change.reason,
    )
    return version


def _complete_rotation_duties(credential: Credential, network_admin: User, version: SecretVersion) -> None:
    """一(三): the rotation occurrences this change fulfils are completed, and the
    schedule restarts from the new due date."""
    open_ = Occurrence.objects.filter(
        obligation__key=credential.obligation_key,
        state__in=["due", "overdue"],
        due_on__lt=credential.rotation_due_on,
    )
    for occurrence in open_:
        occurrence_complete(
            occurrence=occurrence,
            actor=network_admin,
            answers={"rotated": True},
            comment=_("口令已更换为第 %(n)d 版") % {"n": version.number},
        )
    obligation_ensure(spec=_rotation_spec(credential), actor=network_admin)


def _expire_overdue(changes) -> int:
    count = 0
    for change in changes.filter(status=ChangeStatus.PENDING, expires_at__lte=timezone.now()):
        _close_change(change, ChangeStatus.EXPIRED, None)
        audit.record(action="credentials.change.expired", actor=None, obj=change.credential, change=change.pk)
        count += 1
    return count


@transaction.atomic
def change_expire_due() -> int:
    """Expire every unconfirmed change past its deadline (the periodic task)."""
    return _expire_overdue(PendingChange.objects.select_for_update().filter(status=ChangeStatus.PENDING))


@transaction.atomic
def secret_change_cancel(*, change: PendingChange, actor: User) -> PendingChange:
    change = PendingChange.objects.select_for_update().select_related("credential").get(pk=change.pk)
    if not may_manage(actor, change.credential):
        raise PermissionDenied(_("您不能撤销此变更。"))
    if change.status != ChangeStatus.PENDING:
        raise ValidationError(_("该变更已处理。"))
    _close_change(change, ChangeStatus.CANCELLED, actor)
    change.decided_by = actor
    change.save(update_fields=["decided_by"])
    audit.record(action="credentials.change.cancelled", actor=actor, obj=change.credential, change=change.pk)
    return change


# --------------------------------------------------------------------------- suspected leak (一(四))


@transaction.atomic
def leak_report(*, credential: Credential, actor: User, note: str) -> Credential:
    """The 网络管理员 reports signs of a leak: the credential is marked compromised,
    its rotation is due today, and the 部门负责人 is told (e-mail and audit)."""
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if not is_network_admin(actor):
        raise PermissionDenied(_("泄密迹象由网络管理员报告。密码、口令管理制度 一(四)。"))
    if credential.status == CredentialStatus.RETIRED:
        raise ValidationError(_("已停用的口令无需报告。"))
    if not note.strip():
        raise ValidationError({"note": _("请描述发现的泄密迹象。")})
    now = timezone.now()
    credential.status = CredentialStatus.COMPROMISED
    credential.compromised_at, credential.compromised_by = now, actor
    credential.compromise_note = note.strip()
    credential.rotation_due_on = timezone.localdate(now)
    credential.save(
        update_fields=["status", "compromised_at", "compromised_by", "compromise_note", "rotation_due_on"]
    )
    heads = list(
        User.objects.filter(
            is_active=True, department_id=credential.department_id, groups__role__key=RoleKey.DEPARTMENT_HEAD
        ).distinct()
    )
    recipients = [user.email for user in heads if user.email]
    audit.record(
        action="credentials.credential.leak_reported",
        actor=actor,
        obj=credential,
        note=credential.compromise_note,
        reported_to=[user.get_username() for user in heads],
    )
    if recipients:
        subject = mail_subject(_("【口令疑似泄密】%(name)s") % {"name": credential.name})
        body = _(
            "网络管理员 %(who)s 于 %(when)s 报告口令“%(name)s”（%(target)s，账号 %(user)s）"
            "有泄密迹象：\n%(note)s\n\n"
            "该口令已标记为“疑似泄密，待更换”，须立即由科室负责人和网络管理员两人同时在场更换"
            "（密码、口令管理制度 一(四)）。"
        ) % {
            "who": actor.get_full_name() or actor.get_username(),
            "when": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
            "name": credential.name,
            "target": credential.target,
            "user": credential.username,
            "note": credential.compromise_note,
        }
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients))
    return credential


# --------------------------------------------------------------------------- reveal


@transaction.atomic
def _create_grant(*, credential: Credential, actor: User, reason: str) -> RevealGrant:
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.status == CredentialStatus.RETIRED:
        raise ValidationError(_("该口令已停用。"))
    version = credential.current_version()
    if version is None:
        raise ValidationError(_("该口令尚未设定。"))
    needs_approval = credential.require_second_approver
    now = timezone.now()
    grant = RevealGrant.objects.create(
        credential=credential,
        version=version,
        requested_by=actor,
        reason=reason.strip()[:300],
        status=RevealStatus.AWAITING_APPROVAL if needs_approval else RevealStatus.APPROVED,
        approved_at=None if needs_approval else now,
        expires_at=None
        if needs_approval
        else now + dt.timedelta(minutes=settings.CREDENTIALS_REVEAL_WINDOW_MINUTES),
    )
    audit.record(
        action="credentials.reveal.requested",
        actor=actor,
        obj=credential,
        grant=grant.pk,
        reason=grant.reason,
        needs_approval=needs_approval,
    )
    return grant


def reveal_request(*, credential: Credential, actor: User, reason: str) -> RevealGrant:
    """A holder asks to see the password, for a reason; with a second approver
    required the grant waits for one."""
    if not is_holder(actor, credential):
        _refuse("credentials.reveal.refused", actor=actor, obj=credential, reason="not a holder")
        raise PermissionDenied(_("您不在该口令的可查看人员名单中。"))
    if len(reason.strip()) < 4:
        raise ValidationError({"reason": _("请说明查看口令的理由（至少 4 个字）。")})
    return _create_grant(credential=credential, actor=actor, reason=reason)


@transaction.atomic
def reveal_approve(*, grant: RevealGrant, actor: User, approve: bool = True) -> RevealGrant:
    grant = RevealGrant.objects.select_for_update().select_related("credential").get(pk=grant.pk)
    if not may_approve_reveal(actor, grant):
        raise PermissionDenied(_("只有该口令的科室负责人或网络管理员（且非申请人本人）可以批准查看。"))
    if grant.status != RevealStatus.AWAITING_APPROVAL:
        raise ValidationError(_("该申请已处理。"))
    now = timezone.now()
    grant.status = RevealStatus.APPROVED if approve else RevealStatus.REFUSED
    grant.approved_by, grant.approved_at = actor, now
    if approve:
        grant.expires_at = now + dt.timedelta(minutes=settings.CREDENTIALS_REVEAL_WINDOW_MINUTES)
    grant.save()
    audit.record(
        action="credentials.reveal.approved" if approve else "credentials.reveal.declined",
        actor=actor,
        obj=grant.credential,
        grant=grant.pk,
        requested_by=grant.requested_by.get_username(),
    )
    return grant


@sensitive_variables("plaintext")
def secret_reveal(*, grant: RevealGrant, actor: User) -> str:
    """The password, once: the grant is used up by this call (audited). A second
    call, another person, an expired or unapproved grant are refused (audited)."""
    with transaction.atomic():
        grant = (
            RevealGrant.objects.select_for_update().select_related("credential", "version").get(pk=grant.pk)
        )
        credential = grant.credential
        problem = None
        if actor.pk != grant.requested_by_id:
            problem = ("not_requester", _("只有申请人本人可以查看。"))
        elif not is_holder(actor, credential):
            problem = ("not_holder", _("您已不在该口令的可查看人员名单中。"))
        elif grant.status == RevealStatus.USED:
            problem = ("used", _("该次查看已使用过；如需再次查看，请重新申请。"))
        elif grant.status != RevealStatus.APPROVED:
            problem = ("not_approved", _("该查看申请尚未批准或已失效。"))
        elif grant.expires_at is None or timezone.now() >= grant.expires_at:
            problem = ("expired", _("查看申请已过期，请重新申请。"))
        elif grant.version.superseded_at is not None or credential.status == CredentialStatus.RETIRED:
            problem = ("superseded", _("口令已更换或停用，请重新申请。"))
        if problem is None:
            try:
                plaintext = crypto.open_sealed(grant.version.sealed(), sealed_id=str(grant.version.sealed_id))
            except crypto.VaultError as exc:
                problem = ("integrity", str(exc))
        if problem is None:
            grant.status, grant.used_at = RevealStatus.USED, timezone.now()
            grant.save(update_fields=["status", "used_at"])
            audit.record(
                action="credentials.secret.revealed",
                actor=actor,
                obj=credential,
                grant=grant.pk,
                version=grant.version.number,
                reason=grant.reason,
                approved_by=grant.approved_by.get_username() if grant.approved_by_id else "",
            )
            return plaintext
    if problem[0] == "integrity":
        # Wrong master key or altered ciphertext: loud, audited, and nothing shown.
        _refuse(
            "credentials.reveal.failed", actor=actor, obj=credential, reason=problem[1][:300], grant=grant.pk
        )
        raise crypto.VaultError(problem[1])
    _refuse("credentials.reveal.refused", actor=actor, obj=credential, reason=problem[0], grant=grant.pk)
    raise PermissionDenied(problem[1])


# --------------------------------------------------------------------------- machine use


@sensitive_variables("plaintext")
def secret_for_system(*, credential: Credential, purpose: str) -> str:
    """The current password for a registered machine use (credentials.registry),
    e.g. the SSH login of a configuration backup. Only a credential whose
    ``system_use`` is ``purpose`` opens, while active (a reported leak stops it
    until the password is changed); every use is audited with its purpose, every
    refusal too. Raises PermissionDenied (refused) or VaultError (ciphertext
    fails its check); the message never holds the secret."""
    label = system_use_label(purpose)
    with transaction.atomic():
        credential = Credential.objects.select_for_update().get(pk=credential.pk)
        version = credential.current_version()
        problem = None
        if label is None:
            problem = f"unknown system use {purpose!r}"
        elif credential.system_use != purpose:
            problem = f"credential is not released for {purpose!r}"
        elif credential.status != CredentialStatus.ACTIVE:
            problem = f"credential is {credential.status}"
        elif version is None:
            problem = "no password has been set"
        if problem is None:
            try:
                plaintext = crypto.open_sealed(version.sealed(), sealed_id=str(version.sealed_id))
            except crypto.VaultError as exc:
                problem = str(exc)
                failed = True
            else:
                audit.record(
                    action="credentials.secret.used_by_system",
                    actor=None,  # the task; a person who started it in a request is recorded
                    obj=credential,
                    purpose=purpose,
                    version=version.number,
                )
                return plaintext
        else:
            failed = False
    _refuse(
        "credentials.system_use.refused",
        actor=None,
        obj=credential,
        reason=problem[:300],
        purpose=purpose,
    )
    if failed:
        raise crypto.VaultError(problem)
    raise PermissionDenied(f"The vault refused {purpose}: {problem}.")


# --------------------------------------------------------------------------- master key rotation


def master_key_rewrap(*, dry_run: bool = False) -> dict[str, int]:
    """Re-wrap every data key not wrapped by the current master key (after
    CREDENTIALS_MASTER_KEY changed and the old key moved to
    CREDENTIALS_RETIRED_MASTER_KEYS). The secrets' ciphertext is untouched and
    no plaintext is produced. Raises VaultError (nothing written) when a data
    key cannot be unwrapped with the configured keys."""
    ring = crypto.keyring()
    counts = {"versions": 0, "pending": 0}
    with transaction.atomic():
        for label, model in (("versions", SecretVersion), ("pending", PendingChange)):
            rows = model.objects.select_for_update().exclude(key_id=ring.current_id).exclude(key_id="")
            for row in rows:
                row.store(crypto.rewrap(row.sealed(), sealed_id=str(row.sealed_id), ring=ring))
                if not dry_run:
                    row.save(update_fields=["key_id", "wrapped_key"])
                counts[label] += 1
        if not dry_run and (counts["versions"] or counts["pending"]):
            audit.record(
                action="credentials.master_key.rewrapped",
                object_type="credentials.vault",
                object_repr=ring.current_id,
                key_id=ring.current_id,
                **counts,
            )
    return counts
