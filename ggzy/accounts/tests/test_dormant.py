"""网络安全管理办法 三(二): dormant accounts are disabled."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import DEFAULT_PASSWORD, login_as, make_user

pytestmark = pytest.mark.django_db


def test_disable_dormant_accounts_after_ninety_days(security_events):
    now = timezone.now()
    stale = make_user(RoleKey.DRAFTER, last_login=now - timedelta(days=91))
    never = make_user(RoleKey.DRAFTER)
    never.date_joined = now - timedelta(days=120)
    never.save()
    recent = make_user(RoleKey.DRAFTER, last_login=now - timedelta(days=89))
    new = make_user(RoleKey.DRAFTER)
    boss = make_user(RoleKey.SYSTEM_ADMIN, is_superuser=True, last_login=now - timedelta(days=200))

    out = io.StringIO()
    call_command("disable_dormant_accounts", "--dry-run", stdout=out)
    assert "将停用 2 个账号" in out.getvalue()
    stale.refresh_from_db()
    assert stale.is_active

    out = io.StringIO()
    call_command("disable_dormant_accounts", stdout=out)
    assert "已停用 2 个账号" in out.getvalue() and boss.username in out.getvalue()
    for user, active in [(stale, False), (never, False), (recent, True), (new, True), (boss, True)]:
        user.refresh_from_db()
        assert user.is_active is active, user
    disabled = [kw["obj"] for a, _, kw in security_events if a == "accounts.user.disabled_dormant"]
    assert set(disabled) == {stale, never}


def test_disabled_dormant_user_cannot_log_in_and_loses_sessions():
    user = make_user(RoleKey.MACHINE_ROOM_ADMIN, last_login=timezone.now() - timedelta(days=100))
    client = Client()
    login_as(client, user)
    user.last_login = timezone.now() - timedelta(days=100)
    user.save()
    call_command("disable_dormant_accounts", stdout=io.StringIO())
    assert client.get("/admin/").status_code == 302
    response = client.post("/admin/login/", {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200  # refused: the account is disabled


def test_dormant_accounts_are_disabled_by_the_scheduled_task(settings):
    import datetime as dt

    import time_machine

    from ggzy.accounts.tasks import disable_dormant_accounts_task

    assert "ggzy.accounts.tasks.disable_dormant_accounts_task" in settings.GGZY_SCHEDULE
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC), tick=False):
        sleeper = make_user(RoleKey.DRAFTER, last_login=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        assert disable_dormant_accounts_task.call() >= 1
    sleeper.refresh_from_db()
    assert not sleeper.is_active
