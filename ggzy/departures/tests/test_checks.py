"""The departures check registered with compliance: every status it can return."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import User
from ggzy.accounts.tests.factories import make_user
from ggzy.departures.checks import departed_accounts_disabled
from ggzy.departures.choices import DepartureKind
from ggzy.departures.services import departure_start

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 10)
NOON = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def status(check):
    return check(today=timezone.localdate()).status


@pytest.fixture
def leaver():
    return make_user(RoleKey.DRAFTER, username="leaver")


@pytest.fixture
def sysadmin():
    return make_user(RoleKey.SYSTEM_ADMIN)


def test_departures_met_when_none_open():
    assert status(departed_accounts_disabled) == "met"


def test_open_departure_is_due_then_overdue_after_five_working_days(leaver, sysadmin):
    with time_machine.travel(NOON, tick=False):
        departure_start(user=leaver, kind=DepartureKind.RESIGNATION, actor=sysadmin)
        assert departed_accounts_disabled(today=TODAY).status == "due_soon"
    with time_machine.travel(NOON + dt.timedelta(days=14), tick=False):
        result = departed_accounts_disabled(today=TODAY + dt.timedelta(days=14))
    assert result.status == "overdue" and "leaver" in result.detail


def test_a_departed_account_enabled_again_is_failing(leaver, sysadmin):
    departure_start(user=leaver, kind=DepartureKind.RESIGNATION, actor=sysadmin)
    User.objects.filter(pk=leaver.pk).update(is_active=True)
    result = departed_accounts_disabled(today=timezone.localdate())
    assert result.status == "failing" and "leaver" in result.detail
