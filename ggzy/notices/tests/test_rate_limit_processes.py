"""The intake API's per-token limit holds across worker processes (issue 14 item 12):
two processes share one limit, on the embedded default (a database table) and on
Redis (a real redis-server on a loopback port)."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LIMIT = 60
CALLS_PER_PROCESS = 75

WORKER = """
import os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from ggzy.notices.models import ApiToken
from ggzy.notices.services import api_rate_limited
token = ApiToken(prefix="shared-token")
now, calls = float(sys.argv[1]), int(sys.argv[2])
print(sum(not api_rate_limited(token=token, now=now) for _ in range(calls)))
"""


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(GGZY_ENV="test", GGZY_API_RATE_LIMIT=str(LIMIT), PYTHONPATH=str(ROOT), **extra)
    return env


def _run_workers(env: dict, processes: int = 2) -> list[int]:
    """Start the workers together; each reports how many of its calls were let through."""
    now = str(1_800_000_000.0)  # one fixed minute for every worker
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, now, str(CALLS_PER_PROCESS)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    allowed = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err[-3000:]
        allowed.append(int(out.strip().splitlines()[-1]))
    return allowed


def test_default_limit_is_shared_by_worker_processes(tmp_path):
    env = _env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "core", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    allowed = _run_workers(env)
    assert sum(allowed) == LIMIT, allowed


# --------------------------------------------------------------------------- Redis

REDIS_SERVER = shutil.which("redis-server") or "/usr/sbin/redis-server"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    """A throw-away redis-server on a free loopback port (Debian's package)."""
    if not os.path.exists(REDIS_SERVER):
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing (apt-get install redis-server): CI never skips Redis")
        pytest.skip("redis-server is missing (apt-get install redis-server; make test installs it)")
    port = _free_port()
    server = subprocess.Popen(
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
            "--protected-mode",
            "yes",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            assert server.poll() is None, server.stdout.read().decode()
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)  # polling an outside process, not test logic
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_redis_limit_is_shared_by_worker_processes(redis_url, tmp_path):
    env = _env(REDIS_URL=redis_url, DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}")
    allowed = _run_workers(env)
    assert sum(allowed) == LIMIT, allowed
