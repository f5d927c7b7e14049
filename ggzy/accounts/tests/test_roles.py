import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import Department, User
from ggzy.accounts.services import role_group, user_create, user_set_roles
from ggzy.accounts.tests.factories import login_as, make_user

pytestmark = pytest.mark.django_db

SEPARATION_MESSAGE = "三权分立"


def test_assigning_audit_admin_to_a_system_admin_is_refused_by_the_service():
    user = make_user(RoleKey.SYSTEM_ADMIN)
    with pytest.raises(ValidationError, match=SEPARATION_MESSAGE):
        user_set_roles(user=user, groups=[role_group(RoleKey.SYSTEM_ADMIN), role_group(RoleKey.AUDIT_ADMIN)])
    assert user.role_keys() == {"system_admin"}


@pytest.mark.parametrize(
    "first,second",
    [
        (RoleKey.SYSTEM_ADMIN, RoleKey.AUDIT_ADMIN),
        (RoleKey.SYSTEM_ADMIN, RoleKey.SECURITY_ADMIN),
        (RoleKey.SECURITY_ADMIN, RoleKey.AUDIT_ADMIN),
    ],
)
def test_no_path_in_code_gives_one_person_two_admin_roles(first, second):
    user = make_user(first)
    # The refusal aborts the surrounding transaction, as it should.
    with pytest.raises(ValidationError, match=SEPARATION_MESSAGE), transaction.atomic():
        user.groups.add(role_group(second))
    with pytest.raises(ValidationError, match=SEPARATION_MESSAGE), transaction.atomic():
        role_group(second).user_set.add(user)
    assert user.role_keys() == {first}


def test_admin_roles_combine_with_ordinary_ones():
    user = make_user(RoleKey.SECURITY_ADMIN)
    user.groups.add(role_group(RoleKey.NETWORK_ADMIN))
    assert user.role_keys() == {"security_admin", "network_admin"}


def test_user_create_refuses_two_admin_roles_and_writes_nothing():
    with pytest.raises(ValidationError, match=SEPARATION_MESSAGE):
        user_create(
            username="zhangsan",
            department=Department.objects.get(code="xinxi"),
            password="Strong-Pass-2026!",
            groups=[role_group(RoleKey.SYSTEM_ADMIN), role_group(RoleKey.SECURITY_ADMIN)],
        )
    assert not User.objects.filter(username="zhangsan").exists()


def test_user_create_forces_change_and_rejects_duplicate_names_case_insensitively():
    user = user_create(
        username="LiSi", department=Department.objects.get(code="zonghe"), password="Strong-Pass-2026!"
    )
    assert user.must_change_password
    with pytest.raises(ValidationError, match="已被使用"):
        user_create(
            username="lisi", department=Department.objects.get(code="zonghe"), password="Strong-Pass-2026!"
        )


def _user_form(user: User, groups, **extra):
    data = {
        "username": user.username,
        "email": "a@example.com",
        "first_name": "三",
        "last_name": "张",
        "department": str(user.department_id),
        "is_active": "on",
        "groups": [str(g.pk) for g in groups],
        "password1": "",
        "password2": "",
        **extra,
    }
    return data


def test_assigning_audit_admin_to_a_system_admin_is_refused_in_the_admin(client):
    operator = make_user(RoleKey.SYSTEM_ADMIN)
    target = make_user(RoleKey.SYSTEM_ADMIN)
    login_as(client, operator)
    url = reverse("wagtailusers_users:edit", args=[target.pk])
    response = client.post(
        url, _user_form(target, [role_group(RoleKey.SYSTEM_ADMIN), role_group(RoleKey.AUDIT_ADMIN)])
    )
    assert response.status_code == 200
    assert "三权分立：系统管理员、安全管理员、审计管理员不得由同一人兼任" in response.content.decode()
    assert target.role_keys() == {"system_admin"}


def test_admin_user_form_has_department_and_no_superuser_flag(client):
    operator = make_user(RoleKey.SYSTEM_ADMIN)
    login_as(client, operator)
    html = client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="department"' in html
    assert 'name="is_superuser"' not in html


def test_admin_created_user_must_change_password(client):
    operator = make_user(RoleKey.SYSTEM_ADMIN)
    login_as(client, operator)
    data = {
        "username": "wangwu",
        "email": "wangwu@example.com",
        "first_name": "五",
        "last_name": "王",
        "department": str(Department.objects.get(code="caigou").pk),
        "groups": [str(role_group(RoleKey.DRAFTER).pk)],
        "password1": "Strong-Pass-2026!",
        "password2": "Strong-Pass-2026!",
    }
    response = client.post(reverse("wagtailusers_users:add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(username="wangwu")
    assert created.must_change_password and not created.is_superuser
    assert created.department.code == "caigou"


def test_roles_other_than_system_admin_cannot_manage_users(client):
    for role in [RoleKey.SECURITY_ADMIN, RoleKey.AUDIT_ADMIN, RoleKey.DRAFTER, RoleKey.WEBSITE_ADMIN]:
        login_as(client, make_user(role))
        response = client.get(reverse("wagtailusers_users:add"))
        assert response.status_code in (302, 403), role


def test_there_is_only_ever_one_superuser():
    call_command("setup_center", stdout=io.StringIO())  # creates the bootstrap superuser
    other = make_user(RoleKey.NETWORK_ADMIN)
    other.is_superuser = True
    with pytest.raises(ValidationError, match="只有初始系统管理员"), transaction.atomic():
        other.save()
    assert User.objects.filter(is_superuser=True).count() == 1


def test_user_admin_refuses_a_name_differing_only_in_case(client):
    login_as(client, make_user(RoleKey.SYSTEM_ADMIN))
    make_user(username="LiSi")
    data = {
        "username": "lisi",
        "email": "lisi@example.com",
        "first_name": "四",
        "last_name": "李",
        "department": str(Department.objects.get(code="caigou").pk),
        "groups": [str(role_group(RoleKey.DRAFTER).pk)],
        "password1": "Strong-Pass-2026!",
        "password2": "Strong-Pass-2026!",
    }
    response = client.post(reverse("wagtailusers_users:add"), data)
    assert response.status_code == 200
    assert "该用户名已被使用（用户名不区分大小写）" in response.content.decode()
    assert User.objects.filter(username__iexact="lisi").count() == 1
