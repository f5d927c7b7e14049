# ruff: noqa: S603, S607 -- Debian's pg_dump / pg_restore from PATH, arguments built here.
"""A consistent copy of the database and its row counts, and putting it back.

SQLite: the online backup API (one consistent copy while the site keeps writing:
WAL readers never block writers). PostgreSQL: ``pg_dump -Fc`` inside an exported
REPEATABLE READ snapshot, so the dump and the row counts see the same instant."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.db import connection

SQLITE_TABLES = (
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
)
PG_TABLES = (
    "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
    "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
)


class DatabaseError(Exception):
    pass


def vendor() -> str:
    return connection.vendor


def table_counts(cursor, vendor_name: str) -> dict[str, int]:
    """Rows per table, through any DB-API cursor (names as the engine lists them)."""
    cursor.execute(SQLITE_TABLES if vendor_name == "sqlite" else PG_TABLES)
    names = [row[0] for row in cursor.fetchall()]
    counts = {}
    for name in names:
        quoted = '"' + name.replace('"', '""') + '"' if vendor_name == "sqlite" else name
        cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 - names from the catalogue
        counts[name] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor) -> dict[str, list[str]]:
    """The migrations applied to the database the cursor reads (app → names), so a
    restore can refuse a snapshot made by newer code than the one installed."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def dump(dest_dir: Path) -> dict:
    """Write the copy into ``dest_dir``; returns the manifest's database part
    (without the file hash, added with the other files)."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        return _dump_sqlite(dest_dir / "db.sqlite3")
    if connection.vendor == "postgresql":
        return _dump_postgres(dest_dir / "db.dump")
    raise DatabaseError(f"backing up a {connection.vendor} database is not supported (SQLite or PostgreSQL)")


def _dump_sqlite(path: Path) -> dict:
    if connection.in_atomic_block:
        # The backup API returns SQLITE_LOCKED while its own connection holds a write
        # transaction, and Python's backup() retries that forever.
        raise DatabaseError("a backup cannot run inside a database transaction (SQLite would wait forever)")
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)  # one step: a single consistent read
        counts = table_counts(target.cursor(), "sqlite")
        migrations = applied_migrations(target.cursor())
    finally:
        target.close()
    return {"engine": "sqlite", "file": "database/db.sqlite3", "tables": counts, "migrations": migrations}


def _pg_env_args(params: dict) -> tuple[dict[str, str], list[str]]:
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    args = []
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    return env, args


def _dump_postgres(path: Path) -> dict:
    import psycopg

    params = connection.settings_dict
    conn = psycopg.connect(
        dbname=params["NAME"],
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        autocommit=True,  # the transaction below is opened explicitly, with its isolation level
    )
    try:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts = table_counts(conn.cursor(), "postgresql")
        migrations = applied_migrations(conn.cursor())
        env, args = _pg_env_args(params)
        result = subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                "--file",
                str(path),
                *args,
                params["NAME"],
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise DatabaseError(f"pg_dump failed: {result.stderr.strip()[-500:]}")
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    return {"engine": "postgresql", "file": "database/db.dump", "tables": counts, "migrations": migrations}


# --------------------------------------------------------------------------- restoring


def parse_url(url: str) -> tuple[str, str]:
    """(engine, location): ("sqlite", "/path/db.sqlite3") or ("postgresql", url)."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = str(dj_database_url.parse(url)["NAME"] or "")
        if not path or path == ":memory:":
            raise DatabaseError(f"--database-url {url!r} names no SQLite file")
        return "sqlite", str(Path(path).resolve())
    if scheme in {"postgres", "postgresql", "pgsql"}:
        return "postgresql", url
    raise DatabaseError(f"--database-url must be sqlite:///PATH or postgres://..., got {url!r}")


def ensure_empty(engine: str, location: str) -> None:
    if engine == "sqlite":
        path = Path(location)
        if path.exists() and path.stat().st_size > 0:
            raise DatabaseError(f"the database file {path} is not empty; restore only into an empty database")
        return
    import psycopg

    try:
        with psycopg.connect(location) as conn:
            tables = conn.execute(PG_TABLES).fetchall()
    except psycopg.Error as exc:
        raise DatabaseError(f"cannot connect to the target database: {str(exc).strip()}") from exc
    if tables:
        raise DatabaseError(
            f"the target database has {len(tables)} tables; restore only into an empty database"
        )


def _same_database(url: str) -> bool:
    """Whether ``url`` names the database ggzy itself runs on (same host, port, name)."""
    mine = connection.settings_dict
    other = dj_database_url.parse(url)

    def where(params) -> tuple[str, str, str]:
        host = str(params.get("HOST") or "localhost")
        host = "localhost" if host in {"127.0.0.1", "::1", "localhost", ""} or host.startswith("/") else host
        return host, str(params.get("PORT") or 5432), str(params.get("NAME") or "")

    return connection.vendor == "postgresql" and where(mine) == where(other)


def reset_scratch(url: str) -> None:
    """Empty the drill's scratch PostgreSQL database (BACKUP_DRILL_DATABASE_URL) so the
    next drill restores into an empty one: every schema of its own is dropped with
    what it holds and ``public`` created again (needs only ownership of the database,
    not CREATEDB). Refuses ggzy's own database."""
    engine, location = parse_url(url)
    if engine != "postgresql":
        raise DatabaseError(f"BACKUP_DRILL_DATABASE_URL must be a PostgreSQL database, got {url!r}")
    if _same_database(location):
        raise DatabaseError(
            "BACKUP_DRILL_DATABASE_URL names ggzy's own database; the drill needs a separate scratch database"
        )
    import psycopg

    try:
        with psycopg.connect(location, autocommit=True) as conn:
            schemas = [
                row[0]
                for row in conn.execute(
                    "SELECT nspname FROM pg_namespace "
                    "WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'"
                ).fetchall()
            ]
            with conn.transaction():
                for schema in schemas:
                    conn.execute(f'DROP SCHEMA "{schema.replace(chr(34), chr(34) * 2)}" CASCADE')
                conn.execute("CREATE SCHEMA public")
    except psycopg.Error as exc:
        raise DatabaseError(f"cannot empty the drill database: {str(exc).strip()}") from exc


def load(engine: str, location: str, copy: Path) -> None:
    """Put the restored copy into the (empty) target database."""
    if engine == "sqlite":
        Path(location).parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(copy)
        target = sqlite3.connect(location)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        return
    result = subprocess.run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", location, str(copy)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise DatabaseError(f"pg_restore failed: {result.stderr.strip()[-500:]}")
