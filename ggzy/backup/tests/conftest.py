import uuid

import pytest
from django.db import connection


@pytest.fixture
def backup_env(settings, tmp_path):
    """A restic repository of this test's own (created on first backup --init),
    its staging and cache under tmp, and an audit archive directory."""
    settings.BACKUP_REPOSITORY = str(tmp_path / "repo")
    settings.BACKUP_PASSWORD = "correct horse battery staple"
    settings.BACKUP_STAGING_DIR = tmp_path / "staging"
    settings.BACKUP_CACHE_DIR = tmp_path / "restic-cache"
    settings.BACKUP_DRILL_DIR = tmp_path / "drill"
    settings.AUDIT_ARCHIVE_DIR = tmp_path / "audit-archive"
    return tmp_path


def _pg_admin():
    import psycopg

    params = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        autocommit=True,
    )


def _pg_url(name: str) -> str:
    params = connection.settings_dict
    auth = params.get("USER") or ""
    if params.get("PASSWORD"):
        auth += f":{params['PASSWORD']}"
    return f"postgres://{auth}@{params.get('HOST') or '127.0.0.1'}:{params.get('PORT') or 5432}/{name}"


@pytest.fixture
def empty_database(backup_env):
    """Factory of empty databases of the test's engine to restore into: a fresh SQLite
    file, or a new database on the same PostgreSQL server (dropped afterwards)."""
    made = []

    def make() -> str:
        if connection.vendor == "sqlite":
            return f"sqlite:///{backup_env / f'fresh-{len(made)}.sqlite3'}"
        name = f"ggzy_restore_{uuid.uuid4().hex[:12]}"
        with _pg_admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return _pg_url(name)

    yield make
    if made:
        with _pg_admin() as admin:
            for name in made:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(url: str, sql: str) -> list[tuple]:
    """Rows of ``sql`` in the restored database at ``url`` (SQLite file or PostgreSQL)."""
    if url.startswith("sqlite:"):
        import sqlite3

        conn = sqlite3.connect(url[len("sqlite:///") :])
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()
