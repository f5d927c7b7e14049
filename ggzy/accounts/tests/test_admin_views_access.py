"""Every identity admin page refuses who it must (STYLE: one shared check per view):
anonymous → login, wrong role → refused, wrong network → 403, right role → 200."""

import pytest
from django.test import Client

from ggzy.accounts.choices import DepartureKind, RoleKey
from ggzy.accounts.departures import departure_start
from ggzy.accounts.tests.factories import login_as, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def departure():
    return departure_start(
        user=make_user(RoleKey.DRAFTER, department="xinxi"),
        kind=DepartureKind.TRANSFER,
        actor=make_user(RoleKey.SYSTEM_ADMIN),
    )


def pages(departure):
    """(url, roles that may open it)."""
    return [
        ("/admin/account-security/", {RoleKey.SYSTEM_ADMIN}),
        ("/admin/departures/", {RoleKey.SYSTEM_ADMIN, RoleKey.DEPARTMENT_HEAD}),
        ("/admin/departures/new/", {RoleKey.SYSTEM_ADMIN}),
        (f"/admin/departures/{departure.pk}/", {RoleKey.SYSTEM_ADMIN, RoleKey.DEPARTMENT_HEAD}),
        (f"/admin/departures/{departure.pk}/pdf/", {RoleKey.SYSTEM_ADMIN, RoleKey.DEPARTMENT_HEAD}),
        ("/admin/password-policy/", {RoleKey.SECURITY_ADMIN}),
    ]


ROLES = [
    RoleKey.SYSTEM_ADMIN,
    RoleKey.SECURITY_ADMIN,
    RoleKey.AUDIT_ADMIN,
    RoleKey.DEPARTMENT_HEAD,
    RoleKey.PUBLISHER,
]


def test_identity_admin_pages_refuse_who_they_must(departure):
    anonymous = Client()
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        login_as(clients[role], make_user(role, department="xinxi"))
    for url, allowed in pages(departure):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url, url
        assert clients[RoleKey.SYSTEM_ADMIN].get(url, REMOTE_ADDR="198.51.100.1").status_code == 403, url
        for role, client in clients.items():
            response = client.get(url)
            if role in allowed:
                assert response.status_code == 200, (url, role)
            else:
                assert response.status_code in (302, 403, 404), (url, role)
                if response.status_code == 302:
                    assert response.url == "/admin/", (url, role)
