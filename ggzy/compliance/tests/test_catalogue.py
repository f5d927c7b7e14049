"""The clause catalogue: every numbered provision is a row, every home names something real."""

import ast
import json
from pathlib import Path

import pytest

from ggzy.compliance.choices import Home
from ggzy.compliance.models import Clause
from ggzy.compliance.registry import all_checks, all_obligations
from ggzy.compliance.regulation_text import REGULATION_TEXT, count_marker_lines, normalise, parse
from ggzy.compliance.services import CLAUSES_FILE, ComplianceDataError, clauses_load, read_catalogue

ROOT = Path(__file__).resolve().parents[3]
SHARED = Path("/work/shared/regulations/jiaozuo-ggzy-network-security-regulations-2020.txt")


def test_every_numbered_provision_of_the_text_is_in_the_catalogue_verbatim():
    provisions, markers = parse()
    # The parser read every line that starts with a number (an independent count).
    assert markers == count_marker_lines() > 280
    catalogue = {row["key"]: row for row in read_catalogue()}
    missing = [p.citation for p in provisions if p.key not in catalogue]
    assert not missing, f"provisions missing from the catalogue: {missing}"
    changed = [p.key for p in provisions if normalise(catalogue[p.key]["text"]) != normalise(p.text)]
    assert not changed, f"catalogue text differs from the regulation: {changed}"
    assert len(catalogue) == len(provisions)


def test_all_eleven_regulations_and_the_schedule_rows_are_there():
    keys = {row["key"] for row in read_catalogue()}
    for key in (
        "wlaq.4.1",
        "jf.3.6",
        "yjya.8",
        "wzgl.18",
        "wzgl.fb.3.4",
        "wzgl.fb.6.1",
        "mm.2.1",
        "sb.7",
        "xxfb.1.4.10",
        "xxfb.2.4",
        "wh.1.3",
        "wb.2.3",
        "lz.2.3",
        "jk.10",
        "jf.4.o.2",
    ):
        assert key in keys
    citations = {row["key"]: row["citation"] for row in read_catalogue()}
    assert citations["wlaq.4.1"] == "网络安全管理办法 四(一)"
    assert citations["jf.3.6"] == "网络机房管理制度 三(六)"
    assert citations["yjya.8"] == "应急预案 第八条"
    assert citations["xxfb.2.4"] == "信息发布审核制度 (四)"


@pytest.mark.skipif(not SHARED.exists(), reason="the shared regulation text is not on this machine")
def test_the_apps_copy_of_the_regulation_is_the_shared_text():
    assert REGULATION_TEXT.read_bytes() == SHARED.read_bytes()


def test_a_dropped_provision_fails_the_comparison(tmp_path):
    rows = read_catalogue()
    keys = {row["key"] for row in rows if row["key"] != "wlaq.5.4"}
    provisions, _ = parse()
    assert [p.key for p in provisions if p.key not in keys] == ["wlaq.5.4"]


@pytest.mark.django_db
def test_setup_loaded_the_catalogue_and_reloading_changes_nothing():
    assert Clause.objects.count() == len(read_catalogue())
    assert clauses_load() == (0, 0)
    clause = Clause.objects.get(key="wlaq.5.4")
    assert clause.home == Home.CHECKED and "6 个月" in clause.reading_note


@pytest.mark.django_db
def test_an_edited_row_is_restored_from_the_file():
    Clause.objects.filter(key="mm.2.1").update(text="改过的", home=Home.UNHOMED)
    assert clauses_load() == (0, 1)
    assert Clause.objects.get(key="mm.2.1").home == Home.CHECKED


@pytest.mark.parametrize(
    "rows, message",
    [
        ([{"key": "a.1", "citation": "x", "regulation": "wlaq", "text": "t"}] * 2, "duplicate"),
        ([{"key": "a.1", "citation": "x", "regulation": "nope", "text": "t"}], "unknown regulation"),
        (
            [{"key": "a.1", "citation": "x", "regulation": "wlaq", "text": "t", "home": "maybe"}],
            "unknown home",
        ),
        ([{"key": "a.1", "citation": "x", "regulation": "wlaq", "text": ""}], "required"),
    ],
)
def test_a_bad_catalogue_is_refused(tmp_path, rows, message):
    path = tmp_path / "clauses.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    with pytest.raises(ComplianceDataError, match=message):
        read_catalogue(path)


def _test_exists(node_id: str) -> bool:
    path, _, name = node_id.partition("::")
    file = ROOT / path
    if not file.exists():
        return False
    tree = ast.parse(file.read_text(encoding="utf-8"))
    return any(isinstance(n, ast.FunctionDef) and n.name == name for n in tree.body)


def test_every_home_names_a_test_check_or_obligation_that_exists():
    """The meta-test: no home points at nothing, no principle without its justification."""
    checks, obligations = all_checks(), all_obligations()
    problems = []
    for row in read_catalogue():
        home, refs = row["home"], row["home_refs"]
        if home not in Home.values:
            problems.append(f"{row['key']}: no home")
        elif home == Home.PRINCIPLE and not row["justification"].strip():
            problems.append(f"{row['key']}: principle without a justification")
        elif home in (Home.ENFORCED, Home.CHECKED, Home.EVIDENCED) and not refs:
            problems.append(f"{row['key']}: {home} names nothing")
        for ref in refs:
            if home == Home.ENFORCED and not _test_exists(ref):
                problems.append(f"{row['key']}: test {ref} does not exist")
            if home == Home.CHECKED and (ref not in checks or row["key"] not in checks[ref].clause_keys):
                problems.append(f"{row['key']}: check {ref} does not exist or does not cover it")
            if home == Home.EVIDENCED and (
                ref not in obligations or row["key"] not in obligations[ref].clauses
            ):
                problems.append(f"{row['key']}: obligation {ref} does not exist or does not cover it")
    assert not problems, problems


def test_checks_and_obligations_name_clauses_of_the_catalogue():
    keys = {row["key"] for row in read_catalogue()}
    for check in all_checks().values():
        assert set(check.clause_keys) <= keys, check.name
    for spec in all_obligations().values():
        assert set(spec.clauses) <= keys, spec.key


def test_the_meta_test_notices_a_missing_test():
    assert _test_exists("ggzy/compliance/tests/test_catalogue.py::test_the_meta_test_notices_a_missing_test")
    assert not _test_exists("ggzy/compliance/tests/test_catalogue.py::test_that_was_never_written")
    assert not _test_exists("ggzy/nowhere/tests/test_x.py::test_y")
    assert CLAUSES_FILE.exists()
