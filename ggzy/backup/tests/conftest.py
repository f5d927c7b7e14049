import pytest


@pytest.fixture
def backup_env(settings, tmp_path):
    """A restic repository of this test's own (created on first backup --init),
    its staging and cache under tmp, and an audit archive directory."""
    settings.BACKUP_REPOSITORY = str(tmp_path / "repo")
    settings.BACKUP_PASSWORD = "correct horse battery staple"
    settings.BACKUP_STAGING_DIR = tmp_path / "staging"
    settings.BACKUP_CACHE_DIR = tmp_path / "restic-cache"
    settings.AUDIT_ARCHIVE_DIR = tmp_path / "audit-archive"
    return tmp_path
