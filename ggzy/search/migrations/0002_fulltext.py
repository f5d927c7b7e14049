"""The full-text index of the database backend: an FTS5 external-content table
on SQLite (kept in step with search_searchentry by triggers), a GIN index over
the tokens as a tsvector on PostgreSQL."""

from django.db import migrations

FTS = "search_searchentry_fts"
TABLE = "search_searchentry"

SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5("
    f"title_tokens, body_tokens, content='{TABLE}', content_rowid='seq', tokenize='unicode61')",
    f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, title_tokens, body_tokens) "
    "VALUES (new.seq, new.title_tokens, new.body_tokens); END",
    f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title_tokens, body_tokens) "
    "VALUES ('delete', old.seq, old.title_tokens, old.body_tokens); END",
    f"CREATE TRIGGER {FTS}_au AFTER UPDATE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title_tokens, body_tokens) "
    "VALUES ('delete', old.seq, old.title_tokens, old.body_tokens); "
    f"INSERT INTO {FTS}(rowid, title_tokens, body_tokens) "
    "VALUES (new.seq, new.title_tokens, new.body_tokens); END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TABLE IF EXISTS {FTS}",
]

# Must stay identical to ggzy.search.engines.PG_VECTOR (the planner matches expressions).
PG_VECTOR = (
    "(setweight(array_to_tsvector(string_to_array(title_tokens, ' ')), 'A') || "
    "array_to_tsvector(string_to_array(body_tokens, ' ')))"
)
PG_FORWARD = [f"CREATE INDEX search_searchentry_tsv ON {TABLE} USING gin ({PG_VECTOR})"]
PG_BACKWARD = ["DROP INDEX IF EXISTS search_searchentry_tsv"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}),
        )
    ]
