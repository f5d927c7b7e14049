"""bin/serve (make run, make demo) runs three processes — gunicorn, the task worker and
the scheduler — and stopping it stops all three; when one of them dies, the others are
stopped too. Run for real on a copy of the script whose .venv holds stand-ins that
sleep like the real processes (the script's process handling is what is tested)."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

# The stand-ins: the one-shot commands (ensure_site_built, serve_banner) succeed at once;
# the long-running ones sleep, named after what they stand for.
FAKE_PYTHON = """#!/usr/bin/env bash
case "$2" in
    db_worker|run_scheduler) exec -a "{mark}-$2" sleep 300 ;;
    *) exit 0 ;;
esac
"""
FAKE_GUNICORN = """#!/usr/bin/env bash
exec -a "{mark}-gunicorn" sleep 300
"""


def running(mark: str) -> dict[str, int]:
    found = {}
    table = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True, check=True).stdout
    for line in table.splitlines():
        pid, _, args = line.strip().partition(" ")
        if args.startswith(mark):
            found[args.removeprefix(f"{mark}-").split()[0]] = int(pid)
    return found


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.05)  # polling outside processes, not test logic


@pytest.fixture
def serve(tmp_path):
    mark = f"ggzy-serve-{tmp_path.name}"
    (tmp_path / "bin").mkdir()
    shutil.copy(Path(settings.BASE_DIR) / "bin" / "serve", tmp_path / "bin" / "serve")
    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    for name, text in (("python", FAKE_PYTHON), ("gunicorn", FAKE_GUNICORN)):
        (venv / name).write_text(text.format(mark=mark))
        (venv / name).chmod(0o755)
    process = subprocess.Popen(
        ["bash", str(tmp_path / "bin" / "serve")],
        env={**os.environ, "PORT": "8999"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_for(lambda: set(running(mark)) == {"db_worker", "run_scheduler", "gunicorn"})
        yield process, mark
    finally:
        for pid in running(mark).values():
            os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()
        process.wait()


def test_stopping_the_script_stops_the_server_the_worker_and_the_scheduler(serve):
    process, mark = serve
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    wait_for(lambda: running(mark) == {})


def test_one_process_dying_stops_the_others(serve):
    process, mark = serve
    os.kill(running(mark)["db_worker"], signal.SIGKILL)
    assert process.wait(timeout=20) != 0
    wait_for(lambda: running(mark) == {})
    assert "a process exited" in process.stderr.read().decode()
