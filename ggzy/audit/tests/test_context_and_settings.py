"""Request context (request id, client IP) and the audit settings' guard rails."""

import pytest
from django.test import RequestFactory

from config.tests.test_settings import PRODUCTION, manage
from ggzy.audit.context import AuditContextMiddleware, client_ip
from ggzy.audit.services import record


def test_retention_below_90_days_is_refused(tmp_path):
    # 网络安全管理办法 五(四): logs are kept more than 3 months.
    result = manage("check", tmp_path=tmp_path, **{**PRODUCTION, "AUDIT_RETENTION_DAYS": "89"})
    assert result.returncode != 0
    assert "AUDIT_RETENTION_DAYS may not be below 90" in result.stderr
    assert manage("check", tmp_path=tmp_path, **{**PRODUCTION, "AUDIT_RETENTION_DAYS": "90"}).returncode == 0


def test_production_requires_the_checkpoint_key(tmp_path):
    result = manage("check", tmp_path=tmp_path, **{**PRODUCTION, "AUDIT_HMAC_KEY": ""})
    assert result.returncode != 0
    assert "AUDIT_HMAC_KEY must be set in production" in result.stderr
    assert not (tmp_path / "audit_hmac_key").exists()


def test_unknown_hash_algorithm_is_refused(tmp_path):
    result = manage("check", tmp_path=tmp_path, **{**PRODUCTION, "AUDIT_HASH": "md5"})
    assert result.returncode != 0 and "AUDIT_HASH must be sha256 or sm3" in result.stderr


def test_local_mode_generates_a_private_checkpoint_key(tmp_path):
    assert manage("check", tmp_path=tmp_path, GGZY_ENV="local").returncode == 0
    key_file = tmp_path / "audit_hmac_key"
    assert len(key_file.read_text()) >= 40 and (key_file.stat().st_mode & 0o777) == 0o600


@pytest.mark.django_db
def test_middleware_stamps_request_id_and_ip_on_events():
    seen = {}

    def view(request):
        seen["event"] = record(action="tests.thing.done")
        from django.http import HttpResponse

        return HttpResponse("ok")

    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="req-123", REMOTE_ADDR="10.1.2.3")
    response = AuditContextMiddleware(view)(request)
    assert response["X-Request-ID"] == "req-123"
    assert seen["event"].request_id == "req-123" and seen["event"].ip == "10.1.2.3"

    bogus = RequestFactory().get("/", HTTP_X_REQUEST_ID="<script>", REMOTE_ADDR="10.1.2.3")
    response = AuditContextMiddleware(view)(bogus)
    assert len(response["X-Request-ID"]) == 32 and response["X-Request-ID"] != "<script>"


def test_proxy_header_is_trusted_only_when_named(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
    assert client_ip(request) == "127.0.0.1"
    settings.AUDIT_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert client_ip(request) == "203.0.113.9"
