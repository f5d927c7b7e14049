"""The user admin writes accounts through accounts.services: the same rules, the
same events, whichever road (admin form, command, code) a change takes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import Department, User
from ggzy.accounts.services import role_group, user_delete, user_set_roles, user_update
from ggzy.accounts.tests.conftest import actions
from ggzy.accounts.tests.factories import DEFAULT_PASSWORD, login_as, make_user

pytestmark = pytest.mark.django_db

SEPARATION_ERROR = "三权分立：系统管理员、安全管理员、审计管理员不得由同一人兼任"


def _form(groups, **extra):
    return {
        "username": "zhouba",
        "email": "zhouba@example.com",
        "first_name": "八",
        "last_name": "周",
        "department": str(Department.objects.get(code="xinxi").pk),
        "is_active": "on",
        "groups": [str(role_group(key).pk) for key in groups],
        "password1": "",
        "password2": "",
        **extra,
    }


def test_separation_of_duties_refused_on_admin_create_shows_the_error_and_writes_nothing(
    client, security_events
):
    login_as(client, make_user(RoleKey.SYSTEM_ADMIN))
    security_events.clear()
    data = _form(
        [RoleKey.SECURITY_ADMIN, RoleKey.AUDIT_ADMIN],
        password1="Jz-Strong-Admin-2026!",
        password2="Jz-Strong-Admin-2026!",
    )
    response = client.post(reverse("wagtailusers_users:add"), data)
    assert response.status_code == 200
    assert SEPARATION_ERROR in response.content.decode()
    assert not User.objects.filter(username="zhouba").exists()
    assert "accounts.user.created" not in actions(security_events)


def test_a_refused_edit_changes_nothing_of_the_account(client, security_events):
    login_as(client, make_user(RoleKey.SYSTEM_ADMIN))
    target = make_user(RoleKey.PUBLISHER, username="zhouba", email="old@example.com")
    security_events.clear()
    # The e-mail is valid input, the password breaks the publishing rule (>= 12).
    data = _form([RoleKey.PUBLISHER], email="new@example.com", password1="Jz-gz-2026", password2="Jz-gz-2026")
    response = client.post(reverse("wagtailusers_users:edit", args=[target.pk]), data)
    assert response.status_code == 200
    assert "具有信息发布权限的人员的密码至少 12 位" in response.content.decode()
    target.refresh_from_db()
    assert target.email == "old@example.com" and target.check_password(DEFAULT_PASSWORD)
    assert not target.must_change_password
    assert security_events == []


def test_the_password_is_judged_by_the_roles_being_given_not_the_roles_held(client):
    """A network admin moved to an office role may be given an office-length password."""
    login_as(client, make_user(RoleKey.SYSTEM_ADMIN))
    target = make_user(RoleKey.NETWORK_ADMIN, username="zhouba")
    data = _form([RoleKey.MACHINE_ROOM_ADMIN], password1="jzoffice26", password2="jzoffice26")
    response = client.post(reverse("wagtailusers_users:edit", args=[target.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    target.refresh_from_db()
    assert target.check_password("jzoffice26") and target.must_change_password
    assert target.role_keys() == {RoleKey.MACHINE_ROOM_ADMIN}


def test_admin_create_emits_each_event_once(client, security_events):
    operator = login_as(client, make_user(RoleKey.SYSTEM_ADMIN))
    security_events.clear()
    data = _form([RoleKey.DRAFTER], password1="Jz-ggzy-2026-x", password2="Jz-ggzy-2026-x")
    assert client.post(reverse("wagtailusers_users:add"), data).status_code == 302
    assert actions(security_events) == ["accounts.user.created"]
    _action, _outcome, kwargs = security_events[0]
    created = User.objects.get(username="zhouba")
    assert kwargs["actor"] == operator and kwargs["obj"] == created
    assert kwargs["data"]["after"]["department"] == created.department_id
    assert created.must_change_password and created.role_keys() == {RoleKey.DRAFTER}


def test_admin_edit_with_a_password_reset_emits_update_and_reset_once(client, security_events):
    operator = login_as(client, make_user(RoleKey.SYSTEM_ADMIN))
    target = make_user(RoleKey.DRAFTER, username="zhouba", email="old@example.com")
    security_events.clear()
    data = _form([RoleKey.DRAFTER], password1="Jz-reset-by-admin-1", password2="Jz-reset-by-admin-1")
    assert client.post(reverse("wagtailusers_users:edit", args=[target.pk]), data).status_code == 302
    assert actions(security_events) == ["accounts.user.updated", "accounts.password.reset"]
    updated = security_events[0][2]
    assert updated["actor"] == operator
    assert updated["data"]["before"]["email"] == "old@example.com"
    assert updated["data"]["after"]["email"] == "zhouba@example.com"
    assert updated["data"]["after"]["must_change_password"] is True


def test_admin_delete_emits_once_through_the_service(client, security_events):
    operator = login_as(client, make_user(RoleKey.SYSTEM_ADMIN, is_superuser=True, is_staff=True))
    target = make_user(RoleKey.DRAFTER, username="zhouba")
    security_events.clear()
    assert client.post(reverse("wagtailusers_users:delete", args=[target.pk])).status_code == 302
    assert actions(security_events) == ["accounts.user.deleted"]
    assert security_events[0][2]["actor"] == operator
    assert security_events[0][2]["data"]["before"]["username"] == "zhouba"
    assert not User.objects.filter(pk=target.pk).exists()


# --------------------------------------------------------------------------- the same rules in code


def test_user_set_roles_forces_a_change_when_moving_into_a_stricter_tier():
    """The rule the user admin applies, applied by the service any caller uses."""
    user = make_user(RoleKey.MACHINE_ROOM_ADMIN)
    user_set_roles(user=user, groups=[role_group(RoleKey.PUBLISHER)])
    user.refresh_from_db()
    assert user.must_change_password and user.role_keys() == {RoleKey.PUBLISHER}


def test_user_update_refuses_two_admin_roles_and_unknown_fields():
    admin = make_user(RoleKey.SYSTEM_ADMIN)
    target = make_user(RoleKey.SECURITY_ADMIN)
    with pytest.raises(ValidationError, match="三权分立"):
        user_update(
            actor=admin,
            user=target,
            changes={"email": "x@example.com"},
            groups=[role_group(RoleKey.SECURITY_ADMIN), role_group(RoleKey.AUDIT_ADMIN)],
        )
    with pytest.raises(ValueError, match="is_superuser"):
        user_update(actor=admin, user=target, changes={"is_superuser": True})
    with pytest.raises(ValidationError, match="所属科室"):
        user_update(actor=admin, user=target, changes={"department": None})
    target.refresh_from_db()
    assert target.email == "" and target.role_keys() == {RoleKey.SECURITY_ADMIN}


def test_no_one_deletes_their_own_account():
    admin = make_user(RoleKey.SYSTEM_ADMIN)
    with pytest.raises(PermissionDenied):
        user_delete(actor=admin, user=admin)
    assert User.objects.filter(pk=admin.pk).exists()
