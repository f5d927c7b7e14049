"""Session rules (等保三级 会话管理), with time-machine: never sleep."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import DEFAULT_PASSWORD, make_user, pass_second_factor

pytestmark = pytest.mark.django_db


def login(client, user, password=DEFAULT_PASSWORD):
    response = client.post("/admin/login/", {"username": user.username, "password": password})
    assert response.status_code == 302
    pass_second_factor(client, user)
    return response


def is_logged_in(client) -> bool:
    # The password page: behind login like the dashboard, much lighter to render.
    return client.get("/admin/password/change/").status_code == 200


@pytest.mark.parametrize("role,idle", [(RoleKey.DRAFTER, 30), (RoleKey.SYSTEM_ADMIN, 15)])
def test_idle_timeout(client, role, idle):
    user = make_user(role)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        login(client, user)
        clock.shift(timedelta(minutes=idle - 1))
        assert is_logged_in(client)  # activity restarts the idle clock
        clock.shift(timedelta(minutes=idle - 1))
        assert is_logged_in(client)
        clock.shift(timedelta(minutes=idle, seconds=1))
        response = client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response.url
        assert "_auth_user_id" not in client.session
        login_page = client.get(response.url)
        assert "由于长时间未操作，您已自动退出登录" in login_page.content.decode()
        # Said once: the next visit to the login page is quiet.
        assert "自动退出登录" not in client.get(response.url).content.decode()


def test_absolute_lifetime_of_twelve_hours(client, security_events):
    user = make_user(RoleKey.DRAFTER)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        login(client, user)
        for _ in range(24):  # a busy user, a request every 29 minutes, for 11 h 36 min
            clock.shift(timedelta(minutes=29))
            assert is_logged_in(client)
        clock.shift(timedelta(minutes=25))
        assert not is_logged_in(client)
        assert "登录时间已超过 12 小时" in client.get("/admin/login/").content.decode()
    expired = [kw for a, _, kw in security_events if a == "accounts.session.expired"]
    assert expired and expired[-1]["data"]["reason"] == "absolute"


def test_password_change_logs_out_every_other_session(client):
    user = make_user(RoleKey.PUBLISHER)
    elsewhere = Client()
    login(client, user)
    login(elsewhere, user)
    assert is_logged_in(elsewhere)
    new = "Jz-ggzy-everywhere-1"
    response = client.post(
        "/admin/password/change/",
        {"old_password": DEFAULT_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert is_logged_in(client)
    assert not is_logged_in(elsewhere)


def test_session_and_csrf_cookies_are_httponly_and_samesite(client):
    user = make_user(RoleKey.DRAFTER)
    response = client.post(
        "/admin/login/", {"username": user.username, "password": DEFAULT_PASSWORD, "remember": "on"}
    )
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["httponly"] and session_cookie["samesite"] == "Lax"
    assert int(session_cookie["max-age"]) <= 12 * 3600
    assert settings.CSRF_COOKIE_HTTPONLY and settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_login_without_csrf_token_is_refused():
    user = make_user(RoleKey.DRAFTER)
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 403
