"""Every departure admin page refuses who it must: anonymous → login, wrong role →
refused, wrong network → 403, the 系统管理员 and the department head → 200."""

import pytest

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.access import assert_pages_refuse_who_they_must
from ggzy.accounts.tests.factories import make_user
from ggzy.departures.choices import DepartureKind
from ggzy.departures.services import departure_start

pytestmark = pytest.mark.django_db


def test_departure_admin_pages_refuse_who_they_must():
    departure = departure_start(
        user=make_user(RoleKey.DRAFTER, department="xinxi"),
        kind=DepartureKind.TRANSFER,
        actor=make_user(RoleKey.SYSTEM_ADMIN),
    )
    assert_pages_refuse_who_they_must(
        [
            ("/admin/departures/", {RoleKey.SYSTEM_ADMIN, RoleKey.DEPARTMENT_HEAD}),
            ("/admin/departures/new/", {RoleKey.SYSTEM_ADMIN}),
            (f"/admin/departures/{departure.pk}/", {RoleKey.SYSTEM_ADMIN, RoleKey.DEPARTMENT_HEAD}),
            (f"/admin/departures/{departure.pk}/pdf/", {RoleKey.SYSTEM_ADMIN, RoleKey.DEPARTMENT_HEAD}),
        ]
    )
