"""Vault test helpers: people in the two roles of 一(一), and the two-person flow over HTTP."""

from django.test import Client
from django.urls import reverse

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import totp_code, totp_device
from ggzy.accounts.tests.factories import DEFAULT_PASSWORD, login_as, make_user
from ggzy.credentials import services
from ggzy.credentials.models import Credential, PendingChange

SECRET = "Core#Switch-2026!root9"
NEXT_SECRET = "Next@Rotation-2027$pwd7"


def people(department: str = "xinxi"):
    head = make_user(RoleKey.DEPARTMENT_HEAD, department=department, email="head@example.gov.cn")
    admin = make_user(RoleKey.NETWORK_ADMIN, department=department)
    return head, admin


def client_for(user) -> Client:
    client = Client()
    login_as(client, user)
    return client


def make_credential(actor, *, holders=(), name="核心交换机", department="xinxi", **extra) -> Credential:
    from ggzy.accounts.models import Department

    return services.credential_create(
        actor=actor,
        holders=list(holders),
        name=name,
        kind=extra.pop("kind", "device"),
        target=extra.pop("target", "10.0.0.1"),
        username=extra.pop("username", "admin"),
        department=Department.objects.get(code=department),
        **extra,
    )


def fresh_code(user) -> str:
    device = totp_device(user)
    device.refresh_from_db()
    # A code is accepted once; the next step's code is within the tolerance.
    return totp_code(device, 1 if device.last_t >= 0 else 0)


def start(client, credential, secret=SECRET, reason="初次设定"):
    return client.post(
        reverse("credentials:change_start", args=[credential.pk]),
        {"new_secret": secret, "new_secret_again": secret, "reason": reason}
        if secret
        else {"generate": "on", "reason": reason},
    )


def confirm(client, change, user, *, password=DEFAULT_PASSWORD, code=None):
    return client.post(
        reverse("credentials:change", args=[change.pk]),
        {"password": password, "otp_token": fresh_code(user) if code is None else code},
    )


def set_by_two(credential, first, second, secret=SECRET):
    """The whole flow over HTTP: ``first`` starts, ``second`` confirms."""
    response = start(client_for(first), credential, secret)
    assert response.status_code == 302, response.content.decode()[:2000]
    change = PendingChange.objects.filter(credential=credential).order_by("-pk").first()
    response = confirm(client_for(second), change, second)
    assert response.status_code == 302, response.content.decode()[:3000]
    change.refresh_from_db()
    return change
