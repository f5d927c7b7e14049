"""Substring search over device log text (网络安全管理办法 五(五) search): an FTS5
trigram external-content table on SQLite, kept in step by triggers (like
ggzy.search's FTS5 table); a pg_trgm GIN index over UPPER(text) on PostgreSQL, serving Django's icontains.
Where pg_trgm cannot be created (no privilege), search falls back to a scan
within the device and time filters."""

from django.db import migrations

FTS = "devicelogs_logline_fts"
TABLE = "devicelogs_logline"

SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(text, content='{TABLE}', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, text) VALUES (new.id, new.text); END",
    f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.id, old.text); END",
    f"CREATE TRIGGER {FTS}_au AFTER UPDATE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, text) VALUES ('delete', old.id, old.text); "
    f"INSERT INTO {FTS}(rowid, text) VALUES (new.id, new.text); END",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TABLE IF EXISTS {FTS}",
]
# Django's icontains on PostgreSQL is UPPER(text) LIKE UPPER(%s): the index is on that expression.
PG_INDEX = f"CREATE INDEX devicelogs_line_text_trgm ON {TABLE} USING gin (UPPER(text) gin_trgm_ops)"


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            present = cursor.fetchone() is not None
        if not present:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SAVEPOINT devicelogs_trgm")
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                    cursor.execute("RELEASE SAVEPOINT devicelogs_trgm")
                present = True
            except Exception:  # noqa: BLE001 - no privilege: search scans instead (docs/devicelogs.md)
                with connection.cursor() as cursor:
                    cursor.execute("ROLLBACK TO SAVEPOINT devicelogs_trgm")
        if present:
            schema_editor.execute(PG_INDEX)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS devicelogs_line_text_trgm")


class Migration(migrations.Migration):
    dependencies = [("devicelogs", "0001_device_logs")]

    operations = [migrations.RunPython(forward, backward)]
