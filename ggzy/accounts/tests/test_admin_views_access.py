"""Every identity admin page refuses who it must (STYLE: one shared check per view):
anonymous → login, wrong role → refused, wrong network → 403, right role → 200.
The departure screens are checked the same way in ggzy/departures/tests."""

import pytest

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.access import assert_pages_refuse_who_they_must

pytestmark = pytest.mark.django_db


def test_identity_admin_pages_refuse_who_they_must():
    assert_pages_refuse_who_they_must(
        [
            ("/admin/account-security/", {RoleKey.SYSTEM_ADMIN}),
            ("/admin/password-policy/", {RoleKey.SECURITY_ADMIN}),
        ]
    )
