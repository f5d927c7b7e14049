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
