"""Issue 20, the first five minutes: the first password kept in a 0600 file under
var/ until it is changed, and the banner `make run` prints once the server answers."""

import io
import stat

import pytest
from django.core.management import CommandError, call_command

from ggzy.accounts import first_password
from ggzy.accounts.models import User
from ggzy.accounts.services import user_change_own_password, user_set_password_by_admin


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


def run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_setup_center_keeps_the_first_password_owner_only_until_it_is_changed(center_data, var_dir):
    output = run("setup_center")
    kept = var_dir / "first-admin-password.txt"
    assert f"Also kept in {kept} (mode 0600)" in output
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    password = kept.read_text().splitlines()[1].removeprefix("password:").strip()
    admin = User.objects.get(username="sysadmin")
    assert admin.check_password(password) and password in output
    assert first_password.current() == "sysadmin"

    user_change_own_password(actor=admin, new_password="Changed-Passw0rd!2026")
    assert not kept.exists()
    assert "first administrator" not in run("setup_center")  # no second admin, no new file
    assert not kept.exists()


@pytest.mark.django_db(transaction=True)
def test_an_administrators_reset_also_ends_the_file(center_data, var_dir):
    run("setup_center")
    admin = User.objects.get(username="sysadmin")
    user_set_password_by_admin(user=admin, password="Other-Passw0rd!2026x")
    assert not first_password.path().exists()


@pytest.mark.django_db(transaction=True)
def test_a_password_changed_around_the_services_drops_the_file(center_data, var_dir):
    run("setup_center")  # e.g. `bin/ggzy changepassword sysadmin`, which saves the user directly
    admin = User.objects.get(username="sysadmin")
    admin.set_password("Third-Passw0rd!2026x")
    admin.save()
    assert first_password.current() is None and not first_password.path().exists()


@pytest.mark.django_db(transaction=True)
def test_the_banner_names_the_address_and_the_password_file_once_the_server_answers(
    center_data, var_dir, live_server
):
    run("setup_center")
    banner = run("serve_banner", url=live_server.url, wait=30)
    assert f"ggzy is running: {live_server.url}/" in banner
    assert f"admin: {live_server.url}/admin/" in banner
    assert f"the password is in {first_password.path()}" in banner

    admin = User.objects.get(username="sysadmin")
    user_change_own_password(actor=admin, new_password="Changed-Passw0rd!2026")
    banner = run("serve_banner", url=live_server.url, wait=30)
    assert "ggzy is running" in banner and "password" not in banner


def test_the_banner_gives_up_on_a_server_that_never_answers():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, never listening: connections are refused
        with pytest.raises(CommandError, match="did not answer within 1 s"):
            run("serve_banner", url=f"http://127.0.0.1:{port}/", wait=1)
