"""Two-factor login (TOTP, django-otp) for key accounts.

网络安全管理办法 七 and 等保三级 身份鉴别: every administrator role and every
publishing role logs in with a password and a time-based code. Recovery codes
(django-otp static tokens) stand in for a lost phone; only the 系统管理员 resets
a person's second factor.
"""

from __future__ import annotations

import math

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import events
from .models import User
from .passwords import Tier, user_tier
from .services import can_manage_accounts, user_sessions_end

__all__ = [
    "MFA_TIERS",
    "RECOVERY_CODE_COUNT",
    "mfa_confirm_enrolment",
    "mfa_enrolled",
    "mfa_pending_device",
    "mfa_recovery_codes_regenerate",
    "mfa_required",
    "mfa_reset",
    "mfa_verify",
]

TOTP_NAME = "ggzy-totp"
RECOVERY_NAME = "ggzy-recovery"
RECOVERY_CODE_COUNT = 10
# 网络安全管理办法 七 (关键设备 → key accounts): administrators and publishing roles.
MFA_TIERS = frozenset({Tier.ADMIN, Tier.PUBLISHING})


def mfa_required(user: User) -> bool:
    """Administrators and publishing roles (and anyone who enrolled) need a second factor."""
    return user_tier(user) in MFA_TIERS or mfa_enrolled(user)


def mfa_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def mfa_pending_device(user: User) -> TOTPDevice:
    """The unconfirmed TOTP device shown during enrolment (one per user)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


class MfaThrottled(Exception):
    """Too many wrong codes just now: django-otp refuses every code, right or
    wrong, until ``wait_seconds`` have passed (1 s, doubling per failure)."""

    def __init__(self, wait_seconds: int):
        super().__init__(wait_seconds)
        self.wait_seconds = wait_seconds


def _throttle_wait(devices) -> int:
    """Seconds until one of ``devices`` accepts a code again; 0 if one does now."""
    waits = []
    for device in devices:
        allowed, info = device.verify_is_allowed()
        if allowed:
            return 0
        locked_until = (info or {}).get("locked_until")
        waits.append(
            max(1, math.ceil((locked_until - timezone.now()).total_seconds())) if locked_until else 1
        )
    return min(waits, default=0)


def _refuse_if_throttled(*, actor: User, devices, action: str, **extra) -> None:
    """Say so instead of "wrong code" while the devices are throttled: a right
    code would be refused too, and the person would not know to wait."""
    wait = _throttle_wait(devices)
    if wait:
        events.emit(action, actor=actor, obj=actor, outcome="failure", throttled=True, **extra)
        raise MfaThrottled(wait)


def mfa_confirm_enrolment(*, actor: User, token: str, request) -> list[str] | None:
    """Confirm the pending device with a code from the phone; return fresh
    recovery codes (shown once), or None when the code is wrong. Raises
    MfaThrottled while wrong codes just before keep every code refused."""
    # ``request``: the confirmed device verifies this session (otp_login), not only the record.
    device = mfa_pending_device(actor)
    _refuse_if_throttled(actor=actor, devices=[device], action="accounts.mfa.enrolment_failed")
    with transaction.atomic():
        return _confirm_enrolment(actor=actor, device=device, token=token, request=request)


def _confirm_enrolment(*, actor: User, device: TOTPDevice, token: str, request) -> list[str] | None:
    if not device.verify_token(token.strip()):
        events.emit("accounts.mfa.enrolment_failed", actor=actor, obj=actor, outcome="failure")
        return None
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(actor)
    otp_login(request, device)
    events.emit("accounts.mfa.enrolled", actor=actor, obj=actor)
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def mfa_verify(*, actor: User, token: str, request) -> bool:
    """The second step of login: a TOTP code or a single-use recovery code."""
    # ``request``: a right code marks this session as verified (otp_login), not only the record.
    token = token.strip().replace(" ", "")
    kind = "totp" if token.isdigit() else "recovery"
    model = TOTPDevice if kind == "totp" else StaticDevice
    devices = list(model.objects.filter(user=actor, confirmed=True))
    _refuse_if_throttled(actor=actor, devices=devices, action="accounts.mfa.failed", kind=kind)
    verified = None
    with transaction.atomic():
        # select_for_update: throttling and replay protection hold under concurrency.
        for device in model.objects.select_for_update().filter(user=actor, confirmed=True):
            if device.verify_token(token):
                verified = device
                break
    if verified is None:
        events.emit("accounts.mfa.failed", actor=actor, obj=actor, outcome="failure", kind=kind)
        return False
    otp_login(request, verified)
    events.emit("accounts.mfa.verified", actor=actor, obj=actor, kind=kind)
    return True


@transaction.atomic
def mfa_recovery_codes_regenerate(*, actor: User) -> list[str]:
    """New recovery codes replace the old ones; only from a session verified
    with a second factor (the view checks)."""
    if not mfa_enrolled(actor):
        raise PermissionDenied(_("尚未设置双因素认证。"))
    codes = _new_recovery_codes(actor)
    events.emit("accounts.mfa.recovery_codes_regenerated", actor=actor, obj=actor)
    return codes


@transaction.atomic
def mfa_reset(*, user: User, actor: User) -> None:
    """Remove a person's second factor (lost phone): they enrol again at next
    login. Only the 系统管理员 may do this."""

    if not can_manage_accounts(actor):
        raise PermissionDenied(_("只有系统管理员可以重置双因素认证。"))
    if actor.pk == user.pk:
        # Otherwise a stolen password plus a live session could drop the second factor.
        raise PermissionDenied(_("不能重置自己的双因素认证，请由另一位系统管理员操作。"))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user_sessions_end(user=user)
    events.emit("accounts.mfa.reset", actor=actor, obj=user)
