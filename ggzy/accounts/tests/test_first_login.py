import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from ggzy.accounts.models import User

pytestmark = pytest.mark.django_db


def bootstrap_admin() -> tuple[str, str]:
    out = io.StringIO()
    call_command("setup_center", stdout=out)
    text = out.getvalue()
    return re.search(r"user name: (\S+)", text).group(1), re.search(r"password:\s+(\S+)", text).group(1)


def test_first_admin_login_forces_a_password_change_before_anything_else(client):
    username, password = bootstrap_admin()
    response = client.post(reverse("wagtailadmin_login"), {"username": username, "password": password})
    assert response.status_code == 302
    change_url = reverse("accounts_password_change")
    for url in ["/admin/", "/admin/users/", "/admin/pages/", "/admin/column-policies/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url == change_url, url
    assert client.post("/admin/users/add/", {}).url == change_url

    page = client.get(change_url).content.decode()
    assert "首次登录须先修改密码" in page

    # bad input: wrong old password, mismatch, too short, same as old
    for data, message in [
        (
            {
                "old_password": "wrong",
                "new_password1": "N3w-Strong-Pass!",
                "new_password2": "N3w-Strong-Pass!",
            },
            "",
        ),
        ({"old_password": password, "new_password1": "N3w-Strong-Pass!", "new_password2": "other"}, ""),
        ({"old_password": password, "new_password1": "ab1", "new_password2": "ab1"}, ""),
        (
            {"old_password": password, "new_password1": password, "new_password2": password},
            "不能与当前密码相同",
        ),
    ]:
        response = client.post(change_url, data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert User.objects.get(username=username).must_change_password

    response = client.post(
        change_url,
        {"old_password": password, "new_password1": "N3w-Strong-Pass!", "new_password2": "N3w-Strong-Pass!"},
    )
    assert response.status_code == 302
    admin = User.objects.get(username=username)
    assert not admin.must_change_password and admin.password_changed_at is not None
    assert admin.check_password("N3w-Strong-Pass!")
    # Still logged in; an administrator then enrols a second factor (ggzy.accounts.mfa).
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == reverse("accounts_mfa_setup")


def test_password_change_page_needs_login(client):
    response = client.get(reverse("accounts_password_change"))
    assert response.status_code == 302 and "/admin/login/" in response.url
