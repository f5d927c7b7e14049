"""网络安全管理办法 七(二): the admin only from allowed networks."""

import pytest
from django.test import RequestFactory

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.network import client_ip
from ggzy.accounts.tests.factories import login_as, make_user

pytestmark = pytest.mark.django_db


def test_admin_refused_from_a_non_allowed_address(client, security_events):
    login_as(client, make_user(RoleKey.SYSTEM_ADMIN))
    response = client.get("/admin/", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 403
    assert "管理后台仅允许从指定的内部网络地址访问" in response.content.decode()
    assert client.get("/admin/login/", REMOTE_ADDR="203.0.113.7").status_code == 403
    assert client.get("/api/anything", REMOTE_ADDR="203.0.113.7").status_code == 403
    assert [a for a, _, _ in security_events][-1] == "accounts.admin_access.refused"


def test_empty_setting_means_loopback_only(client, settings):
    settings.ADMIN_ALLOWED_NETWORKS = []
    assert client.get("/admin/login/", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/admin/login/", REMOTE_ADDR="::1").status_code == 200
    assert client.get("/admin/login/", REMOTE_ADDR="10.20.0.5").status_code == 403


def test_configured_networks_are_allowed(client, settings):
    settings.ADMIN_ALLOWED_NETWORKS = ["10.20.0.0/16", "192.168.1.0/24"]
    assert client.get("/admin/login/", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get("/admin/login/", REMOTE_ADDR="192.168.1.9").status_code == 200
    assert client.get("/admin/login/", REMOTE_ADDR="127.0.0.1").status_code == 403
    assert client.get("/admin/login/", REMOTE_ADDR="10.21.0.1").status_code == 403


def test_public_site_is_not_restricted(client):
    assert client.get("/", REMOTE_ADDR="203.0.113.7").status_code == 200


def test_forwarded_header_is_ignored_unless_from_a_trusted_proxy(client, settings):
    settings.ADMIN_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_NETWORKS = ["172.16.0.10/32"]
    # A client forging the header directly gets nowhere.
    forged = client.get("/admin/login/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.20.0.5")
    assert forged.status_code == 403
    # Through the proxy, the forwarded address counts, and the right-most untrusted one wins.
    via_proxy = client.get("/admin/login/", REMOTE_ADDR="172.16.0.10", HTTP_X_FORWARDED_FOR="10.20.0.5")
    assert via_proxy.status_code == 200
    spoofed = client.get(
        "/admin/login/", REMOTE_ADDR="172.16.0.10", HTTP_X_FORWARDED_FOR="10.20.0.5, 203.0.113.7"
    )
    assert spoofed.status_code == 403


def test_client_ip_rules(settings):
    factory = RequestFactory()
    settings.TRUSTED_PROXY_HEADER = None
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "10.0.0.1"
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"
    settings.TRUSTED_PROXY_NETWORKS = ["127.0.0.1/32"]
    assert client_ip(factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="10.9.8.7")) == "10.9.8.7"
    assert client_ip(factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="garbage")) is None
    assert client_ip(factory.get("/", REMOTE_ADDR="127.0.0.1")) is None  # proxy gave no client


def test_lockout_counts_the_real_client_behind_the_proxy(client, settings):
    settings.ADMIN_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_NETWORKS = ["172.16.0.10/32"]
    users = [make_user(RoleKey.DRAFTER) for _ in range(6)]
    for user in users[:5]:
        client.post(
            "/admin/login/",
            {"username": user.username, "password": "wrong"},
            REMOTE_ADDR="172.16.0.10",
            HTTP_X_FORWARDED_FOR="10.20.0.5",
        )
    from ggzy.accounts.tests.factories import DEFAULT_PASSWORD

    ok = client.post(
        "/admin/login/",
        {"username": users[5].username, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR="172.16.0.10",
        HTTP_X_FORWARDED_FOR="10.20.0.6",
    )
    assert ok.status_code == 302  # the proxy's address itself is not locked


def test_an_undeclared_proxy_is_refused_rather_than_trusted(client, settings):
    # nginx on the same host without TRUSTED_PROXY_*: every client would look like loopback.
    settings.TRUSTED_PROXY_HEADER = None
    response = client.get("/admin/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert response.status_code == 403
    assert client.get("/admin/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="10.0.0.1").status_code == 403


def test_a_trusted_proxy_without_the_header_is_refused(client, settings):
    settings.ADMIN_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"
    settings.TRUSTED_PROXY_NETWORKS = ["127.0.0.1/32"]
    assert client.get("/admin/login/", REMOTE_ADDR="127.0.0.1").status_code == 403
    assert client.get("/admin/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="127.0.0.5").status_code == 200


def test_settings_refuse_a_bad_network(tmp_path):
    from config.tests.test_settings import PRODUCTION, manage

    result = manage("check", tmp_path=tmp_path, **PRODUCTION, ADMIN_ALLOWED_NETWORKS="10.0.0.0/33")
    assert result.returncode != 0 and "ADMIN_ALLOWED_NETWORKS" in result.stderr
    result = manage("check", tmp_path=tmp_path, **PRODUCTION, TRUSTED_PROXY_NETWORKS="127.0.0.1/32")
    assert result.returncode != 0 and "TRUSTED_PROXY_HEADER" in result.stderr
