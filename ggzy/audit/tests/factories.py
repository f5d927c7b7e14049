"""Helpers for audit tests: tampering as a database owner would (raw SQL)."""

from django.db import connection

from ggzy.audit.guard import PG_REMOVE, SQLITE_REMOVE
from ggzy.audit.services import record


def make_events(n: int, action: str = "tests.thing.done", **kwargs):
    return [record(action=action, object_repr=f"item {i}", index=i, **kwargs) for i in range(n)]


def tamper(sql: str, params=()) -> None:
    """An attacker with the database owner's rights: drop the guard, then edit.
    (Inside the test's transaction, so the triggers come back afterwards.)"""
    with connection.cursor() as cursor:
        for statement in PG_REMOVE if connection.vendor == "postgresql" else SQLITE_REMOVE:
            cursor.execute(statement)
        cursor.execute(sql, params)
