"""Test users in the center's roles. Real models, real groups, no mocks."""

import itertools

from ggzy.accounts.models import Department, Role, User

_counter = itertools.count(1)
DEFAULT_PASSWORD = "Test-Passw0rd!2026"


def make_user(
    *roles: str,
    department: str = "xinxi",
    username: str | None = None,
    password: str = DEFAULT_PASSWORD,
    must_change_password: bool = False,
    **fields,
) -> User:
    """A staff user in the given roles (RoleKey values), in a department by code."""
    user = User(
        username=username or f"user{next(_counter)}",
        department=Department.objects.get(code=department),
        must_change_password=must_change_password,
        **fields,
    )
    user.set_password(password)
    user.save()
    if roles:
        user.groups.set([r.group for r in Role.objects.filter(key__in=roles).select_related("group")])
    return user


def login_as(client, user: User) -> User:
    """Log ``client`` in as ``user`` with both factors, as after a full login.

    Administrators and publishing roles need a verified second factor
    (ggzy.accounts.mfa); ``client.force_login`` alone stops at the MFA page.
    """
    client.force_login(user)
    return pass_second_factor(client, user)


def pass_second_factor(client, user: User) -> User:
    """Mark the client's (already password-authenticated) session as verified."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="ggzy-totp", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return user
