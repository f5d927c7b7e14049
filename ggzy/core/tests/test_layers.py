"""The layer contract (pyproject.toml, docs/architecture.md) holds, and catches a back-import."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_apps_keep_their_layers():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_a_back_import_breaks_the_contract(tmp_path):
    """A lower app importing a higher one fails, even hidden inside a function."""
    shutil.copytree(ROOT / "ggzy", tmp_path / "ggzy", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (tmp_path / "ggzy/accounts/probe.py").write_text(
        "def dodge():\n    from ggzy.publishing import services  # noqa\n", encoding="utf-8"
    )
    result = lint(tmp_path)
    assert result.returncode != 0
    assert "ggzy.accounts.probe -> ggzy.publishing.services" in result.stdout
