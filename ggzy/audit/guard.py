"""Database-level protection of audit events (MLPS 2.0 level 3: no deletion,
modification or overwriting of audit records).

Triggers on PostgreSQL and SQLite refuse UPDATE and DELETE of events. The
only exceptions:

- the retention purge (and the test suite's flush, which is a purge of
  everything) turns the guard off for its own connection: a transaction-local
  setting ``ggzy.audit_purge`` on PostgreSQL, a per-connection SQL function on
  SQLite that reads a thread-local flag in this process;
- Django's ``on_delete=SET_NULL`` may clear ``actor_id`` when an account is
  removed, and nothing else in that row (the hash covers the copied user name).

A DBA can still drop the triggers; the hash chain and the signed checkpoints
are what detect that.
"""

import threading
from contextlib import contextmanager

from django.db import connection
from django.db.backends.signals import connection_created

from .hashing import HASHED_FIELDS

_state = threading.local()


class AuditImmutableError(Exception):
    """Something tried to change or delete an audit record outside the purge."""


def purge_allowed() -> bool:
    return getattr(_state, "purging", False)


@contextmanager
def allow_purge():
    """Turn the guard off for this thread's connection while the block runs."""
    previous = purge_allowed()
    _state.purging = True
    pg = connection.vendor == "postgresql"
    try:
        if pg:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('ggzy.audit_purge', 'on', false)")
        yield
    finally:
        _state.purging = previous
        if pg and not previous:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('ggzy.audit_purge', 'off', false)")


def _sqlite_purge_flag() -> int:
    return 1 if purge_allowed() else 0


def _register_sqlite_function(sender=None, connection=None, **kwargs) -> None:
    if connection is not None and connection.vendor == "sqlite":
        connection.connection.create_function("ggzy_audit_purge_allowed", 0, _sqlite_purge_flag)


def connect() -> None:
    connection_created.connect(_register_sqlite_function, dispatch_uid="ggzy_audit_sqlite_guard")


# --------------------------------------------------------------------------- trigger SQL

# Every column but actor_id must stay as it was for the SET_NULL exception.
_SAME_COLUMNS = (*HASHED_FIELDS, "hash")

_SQLITE_SAME = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in _SAME_COLUMNS)

SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_event_no_update
    BEFORE UPDATE ON audit_auditevent
    WHEN NOT (NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL AND NEW.id IS OLD.id AND {_SQLITE_SAME})
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS audit_event_no_delete
    BEFORE DELETE ON audit_auditevent
    WHEN ggzy_audit_purge_allowed() = 0
    BEGIN SELECT RAISE(ABORT, 'audit events are deleted only by the retention purge'); END
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]

PG_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION audit_event_guard() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        IF NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
           AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      IF coalesce(current_setting('ggzy.audit_purge', true), 'off') = 'on' THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'audit events are deleted only by the retention purge'
        USING ERRCODE = 'integrity_constraint_violation';
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE FUNCTION audit_event_guard_truncate() RETURNS trigger AS $$
    BEGIN
      IF coalesce(current_setting('ggzy.audit_purge', true), 'off') = 'on' THEN
        RETURN NULL;
      END IF;
      RAISE EXCEPTION 'audit events are deleted only by the retention purge'
        USING ERRCODE = 'integrity_constraint_violation';
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS audit_event_guard ON audit_auditevent",
    """
    CREATE TRIGGER audit_event_guard BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_guard()
    """,
    "DROP TRIGGER IF EXISTS audit_event_guard_truncate ON audit_auditevent",
    """
    CREATE TRIGGER audit_event_guard_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_guard_truncate()
    """,
]
PG_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_event_guard ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_event_guard_truncate ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_event_guard()",
    "DROP FUNCTION IF EXISTS audit_event_guard_truncate()",
]


def install_triggers(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_INSTALL, "postgresql": PG_INSTALL}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def remove_triggers(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_REMOVE, "postgresql": PG_REMOVE}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)
