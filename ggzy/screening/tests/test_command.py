"""The `screen` CLI contract: JSON shape, masking, exit status 0/1/2."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from . import documents as d
from .helpers import resident_id

pytestmark = pytest.mark.django_db

ID = resident_id()
ROOT = Path(__file__).resolve().parents[3]


def run(*args):
    """call_command, returning (exit status, stdout)."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("screen", *args, stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


@pytest.fixture
def files(tmp_path):
    (tmp_path / "clean.docx").write_bytes(d.docx(paragraphs=("关于某项目的中标公告",)))
    (tmp_path / "id.docx").write_bytes(d.docx(paragraphs=(f"联系人身份证 {ID}",)))
    (tmp_path / "phone.pdf").write_bytes(d.pdf("Tel 13812345678"))
    (tmp_path / "fake.docx").write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    return tmp_path


def test_clean_file_exits_0(files):
    status, out = run(str(files / "clean.docx"), "--format", "json")
    assert status == 0 and json.loads(out) == []


def test_warnings_only_exit_0(files):
    status, out = run(str(files / "phone.pdf"), "--format", "json")
    assert status == 0
    (finding,) = json.loads(out)
    assert finding == {
        "file": str(files / "phone.pdf"),
        "rule": "pii.mobile",
        "severity": "warn",
        "excerpt": finding["excerpt"],
        "offset": 4,
    }
    assert "13812345678" not in finding["excerpt"]


def test_blocking_finding_exits_1_with_masked_json(files):
    status, out = run(str(files / "clean.docx"), str(files / "id.docx"), "--format", "json")
    assert status == 1
    payload = json.loads(out)
    assert [(f["file"], f["rule"], f["severity"]) for f in payload] == [
        (str(files / "id.docx"), "pii.id_card", "block")
    ]
    assert set(payload[0]) == {"file", "rule", "severity", "excerpt", "offset"}
    assert ID not in out


def test_renamed_executable_exits_2_and_says_why(files):
    status, out = run(str(files / "id.docx"), str(files / "fake.docx"), "--format", "json")
    assert status == 2
    assert "fake.docx" in out and "executable" in out
    assert json.loads(out[: out.rindex("]") + 1])[0]["rule"] == "pii.id_card"  # the others are still reported


def test_missing_file_exits_2(files):
    status, out = run(str(files / "nope.docx"))
    assert status == 2 and "nope.docx" in out


def test_extra_lexicon_file_is_used(files, tmp_path):
    (tmp_path / "text.txt").write_text("本项目严禁陪标行为", encoding="utf-8")
    (tmp_path / "extra.tsv").write_text("illegal_other\t陪标\n", encoding="utf-8")
    assert run(str(tmp_path / "text.txt"))[0] == 0
    status, out = run(str(tmp_path / "text.txt"), "--lexicon", str(tmp_path / "extra.tsv"))
    assert status == 1 and "lexicon.illegal_other" in out and "陪标" not in out


def test_bad_lexicon_line_exits_2_with_line_number(files, tmp_path):
    (tmp_path / "bad.tsv").write_text("gambling\t赌球\nno-tab-line\n", encoding="utf-8")
    status, out = run(str(files / "clean.docx"), "--lexicon", str(tmp_path / "bad.tsv"))
    assert status == 2 and "line 2" in out


def test_text_format_lists_findings(files):
    status, out = run(str(files / "id.docx"), "--format", "text")
    assert status == 1
    assert "id.docx:body:" in out and "block pii.id_card" in out and ID not in out


def test_exit_status_through_a_real_process(files, tmp_path):
    """The contract as a script sees it: `python manage.py screen ...`, here on a
    machine without ggzy's database (the shipped starter lexicon applies)."""
    env = {**os.environ, "GGZY_ENV": "test", "DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}"}
    (files / "gambling.txt").write_text("欢迎访问网络赌博网站", encoding="utf-8")
    for name, expected in (("clean.docx", 0), ("id.docx", 1), ("gambling.txt", 1), ("fake.docx", 2)):
        proc = subprocess.run(
            [sys.executable, "manage.py", "screen", str(files / name), "--format", "json"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode == expected, (name, proc.stdout, proc.stderr)
        if expected == 2:
            assert "fake.docx" in proc.stderr and "executable" in proc.stderr
        else:
            assert isinstance(json.loads(proc.stdout), list)
