"""The per-role access check of admin pages, shared by the apps' access tests:
anonymous → login, wrong role → refused, wrong network → 403, right role → 200."""

from django.test import Client

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user

ROLES = [
    RoleKey.SYSTEM_ADMIN,
    RoleKey.SECURITY_ADMIN,
    RoleKey.AUDIT_ADMIN,
    RoleKey.DEPARTMENT_HEAD,
    RoleKey.PUBLISHER,
]


def assert_pages_refuse_who_they_must(pages):
    """``pages``: (url, roles that may open it); every other role in ROLES is refused."""
    anonymous = Client()
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        login_as(clients[role], make_user(role, department="xinxi"))
    for url, allowed in pages:
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
