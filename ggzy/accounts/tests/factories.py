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
