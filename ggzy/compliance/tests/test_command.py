"""manage.py compliance: one row per clause; exit 1 when anything fails or is overdue."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from ggzy.audit.services import record
from ggzy.audit.tests.factories import tamper
from ggzy.compliance.models import Clause
from ggzy.sitebuild.models import TamperCheck

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("compliance", *args, stdout=out, stderr=io.StringIO())
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue()


def test_json_lists_every_clause_with_home_and_status():
    code, out = run("--format", "json")
    rows = json.loads(out)
    assert len(rows) == Clause.objects.count() > 280
    assert set(rows[0]) == {"key", "citation", "regulation", "home", "status", "detail"}
    by_key = {row["key"]: row for row in rows}
    # A clause no module homes yet (which one changes as the modules land).
    unhomed = Clause.objects.filter(home="unhomed").values_list("key", flat=True).first()
    assert by_key[unhomed]["home"] == "unhomed" and by_key[unhomed]["status"] == "unhomed"
    assert by_key["wzgl.11"]["status"] == "met" and "test_chain.py" in by_key["wzgl.11"]["detail"]
    assert by_key["wzgl.1"]["status"] == "principle"
    # No tamper check has run in the test database: no data, not an alert.
    assert by_key["wzgl.18"]["status"] == "no_data"
    # An unconfigured site identity (网站标识, 备案号) is what an inspector fails a site for
    # (issue 20): the one failing clause of an empty installation, and the exit code says so.
    failing = {row["key"] for row in rows if row["status"] in ("failing", "overdue")}
    assert failing == {"wzgl.15"} and "网站标识" in by_key["wzgl.15"]["detail"]
    assert code == 1


def test_regulation_filter_and_table():
    code, out = run("--regulation", "mm")
    lines = out.splitlines()
    assert len(lines) == Clause.objects.filter(regulation="mm").count()
    assert all(line.startswith("mm.") for line in lines)
    assert code == 0


def test_a_failing_clause_exits_1():
    TamperCheck.objects.create(root="/site", intact=False, restored=False)
    code, out = run("--regulation", "wzgl", "--format", "json")
    assert code == 1
    assert {row["key"]: row["status"] for row in json.loads(out)}["wzgl.18"] == "failing"


def test_a_broken_audit_chain_exits_1():
    event = record(action="tests.thing.done")
    tamper("UPDATE audit_auditevent SET object_repr = 'forged' WHERE id = %s", [event.pk])
    code, _ = run("--regulation", "wlaq")
    assert code == 1
    assert dt.date.today()
