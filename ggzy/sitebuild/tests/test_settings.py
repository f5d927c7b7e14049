"""The manifest key and manifest stay outside the publish root."""

from config.tests.test_settings import manage


def test_local_mode_generates_the_manifest_key_privately(tmp_path):
    result = manage("check", tmp_path=tmp_path, GGZY_ENV="local")
    assert result.returncode == 0, result.stderr
    key = tmp_path / "site_manifest_key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert len(key.read_text().strip()) >= 64


def test_a_manifest_inside_the_publish_root_is_refused(tmp_path):
    result = manage(
        "check",
        tmp_path=tmp_path,
        GGZY_ENV="local",
        PUBLISH_ROOT=str(tmp_path / "site"),
        SITE_MANIFEST_PATH=str(tmp_path / "site" / "manifest.json"),
    )
    assert result.returncode != 0
    assert "SITE_MANIFEST_PATH must be outside PUBLISH_ROOT" in result.stderr
