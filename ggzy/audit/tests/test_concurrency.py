"""Concurrent writers keep one unbroken chain (the lock on AuditChainHead).

Several processes, as gunicorn workers would be, append to one SQLite file
database; then audit_verify checks the result.
"""

import os
import subprocess
import sys

from config.tests.test_settings import ROOT, manage

WRITER = (
    "import ggzy.audit.tests  # registers the tests.* action names\n"
    "from ggzy.audit.services import record\n"
    "for i in range(40):\n"
    "    record(action='tests.thing.concurrent', object_repr=str(i))\n"
)


def test_concurrent_processes_keep_the_chain_intact(tmp_path):
    env = {"GGZY_ENV": "local"}
    assert manage("migrate", "audit", "--noinput", tmp_path=tmp_path, **env).returncode == 0
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GGZY_", "DJANGO_", "SECRET_KEY"))}
    base.update(
        {
            "GGZY_ENV": "local",
            "GGZY_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        }
    )
    writers = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "shell", "-c", WRITER],
            cwd=ROOT,
            env=base,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for writer in writers:
        _out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    result = manage("audit_verify", tmp_path=tmp_path, **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verified 160 events" in result.stdout
