"""The production settings fail fast and pass Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GGZY_", "DJANGO_", "SECRET_KEY"))}
    base.update(
        {
            "GGZY_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "GGZY_ENV": "production",
    "SECRET_KEY": "x" * 40 + "-not-a-real-key-but-long-and-random-enough-ABCDEFG1234567",
    "ALLOWED_HOSTS": "ggzy.example.gov.cn",
    "AUDIT_HMAC_KEY": "audit-hmac-key-for-tests-only-0123456789abcdef",
    "SITE_MANIFEST_KEY": "y" * 64,
    "CREDENTIALS_MASTER_KEY": "cHJvZHVjdGlvbi10ZXN0LW1hc3Rlci1rZXktMzJieXQ",
    "CLAMD_ADDRESS": "unix:///run/clamav/clamd.ctl",
    "BACKUP_PASSWORD": "backup-password-for-tests-only",
}


def test_production_requires_a_secret_key(tmp_path):
    result = manage("check", tmp_path=tmp_path, **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr
    assert not (tmp_path / "secret_key").exists()  # never silently generated in production


def test_production_requires_a_site_manifest_key(tmp_path):
    result = manage("check", tmp_path=tmp_path, **{**PRODUCTION, "SITE_MANIFEST_KEY": ""})
    assert result.returncode != 0
    assert "SITE_MANIFEST_KEY must be set in production" in result.stderr
    assert not (tmp_path / "site_manifest_key").exists()


def test_production_refuses_to_start_without_the_credential_master_key(tmp_path):
    """密码、口令管理制度 一: the vault's master key comes from the environment, and says why."""
    result = manage("check", tmp_path=tmp_path, **{**PRODUCTION, "CREDENTIALS_MASTER_KEY": ""})
    assert result.returncode != 0
    assert "CREDENTIALS_MASTER_KEY must be set in production" in result.stderr
    assert "wraps the credential vault's data keys" in result.stderr
    assert not (tmp_path / "credentials_master_key").exists()


@pytest.mark.parametrize(
    "name,value",
    [("CREDENTIALS_MASTER_KEY", "too-short"), ("CREDENTIALS_RETIRED_MASTER_KEYS", "c2hvcnQ,x")],
)
def test_a_malformed_master_key_is_refused_without_echoing_it(tmp_path, name, value):
    result = manage("check", tmp_path=tmp_path, **{**PRODUCTION, name: value})
    assert result.returncode != 0
    assert f"{name} must be 32 bytes in URL-safe base64" in result.stderr
    assert value not in result.stderr


def test_local_mode_generates_a_private_master_key(tmp_path):
    assert manage("check", tmp_path=tmp_path, GGZY_ENV="local").returncode == 0
    key_file = tmp_path / "credentials_master_key"
    assert (key_file.stat().st_mode & 0o777) == 0o600
    import base64

    assert len(base64.urlsafe_b64decode(key_file.read_text() + "=")) == 32


def test_production_requires_allowed_hosts(tmp_path):
    result = manage("check", tmp_path=tmp_path, **{**PRODUCTION, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_settings_pass_check_deploy(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "name,value,message",
    [
        ("GGZY_ENV", "staging", "GGZY_ENV must be production, local or test"),
        ("DEBUG", "maybe", "DEBUG must be a boolean"),
        ("PASSWORD_MIN_LENGTH", "4", "may not be below 6"),
        ("GGZY_PAGE_SIZE", "many", "GGZY_PAGE_SIZE must be an integer"),
        ("CREDENTIALS_CIPHER", "des", "CREDENTIALS_CIPHER must be aes-256-gcm or sm4-gcm"),
        ("MALWARE_SCAN", "sometimes", "MALWARE_SCAN must be required, warn or off"),
        ("CLAMD_ADDRESS", "", "MALWARE_SCAN is required but CLAMD_ADDRESS is not set"),
    ],
)
def test_bad_configuration_is_refused_with_a_clear_message(tmp_path, name, value, message):
    result = manage("check", tmp_path=tmp_path, **{**PRODUCTION, name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_local_mode_generates_a_private_secret_key_once(tmp_path):
    assert manage("check", tmp_path=tmp_path, GGZY_ENV="local").returncode == 0
    key_file = tmp_path / "secret_key"
    first = key_file.read_text()
    assert len(first) >= 50 and (key_file.stat().st_mode & 0o777) == 0o600
    assert manage("check", tmp_path=tmp_path, GGZY_ENV="local").returncode == 0
    assert key_file.read_text() == first
