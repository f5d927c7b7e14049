"""Driving restic (Debian's package) as a subprocess: the repository and password
come from settings through the environment (never argv), ``--json`` output is read
line by line as it arrives, and restic's failures become one clear English sentence.
No snapshot format of our own: restic stores, encrypts, deduplicates and checks."""

from __future__ import annotations

import collections
import json
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings


class ResticError(Exception):
    """restic failed; ``str()`` is a sentence for the operator."""


@dataclass
class Repository:
    location: str
    password: str
    binary: str = "restic"
    cache_dir: str = ""

    @classmethod
    def configured(cls, *, location: str | None = None, password: str | None = None) -> Repository:
        return cls(
            location=str(location or settings.BACKUP_REPOSITORY),
            password=password if password is not None else settings.BACKUP_PASSWORD,
            binary=settings.BACKUP_RESTIC,
            cache_dir=str(settings.BACKUP_CACHE_DIR),
        )

    # ------------------------------------------------------------------ running

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RESTIC_")}
        env["RESTIC_REPOSITORY"] = self.location
        env["RESTIC_PASSWORD"] = self.password
        env["RESTIC_PROGRESS_FPS"] = "4"  # status lines while it runs, also when not on a terminal
        if self.cache_dir:
            env["RESTIC_CACHE_DIR"] = self.cache_dir
        return env

    def _executable(self) -> str:
        found = shutil.which(self.binary)
        if not found:
            raise ResticError(
                f"restic is not installed ({self.binary!r} not found); "
                "install it with: sudo apt-get install restic"
            )
        return found

    def run(
        self,
        args: Iterable[str],
        *,
        on_json: Callable[[dict[str, Any], subprocess.Popen], None] | None = None,
        cwd: str | None = None,
    ) -> RunResult:
        """Run ``restic ARGS``; each stdout line that is JSON goes to ``on_json`` as it
        arrives (with the process, so a caller may stop it). Raises ResticError."""
        argv = [self._executable(), *args]
        proc = subprocess.Popen(  # noqa: S603 — the restic binary found on PATH, our own arguments
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=self._env(),
            cwd=cwd,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
        )
        stderr_tail: collections.deque[str] = collections.deque(maxlen=40)
        reader = threading.Thread(target=lambda: stderr_tail.extend(proc.stderr), daemon=True)
        reader.start()
        result = RunResult()
        try:
            for line in proc.stdout:
                line = line.strip()
                if not line:
                    continue
                try:
                    message = json.loads(line)
                except ValueError:
                    result.text.append(line)
                    continue
                if isinstance(message, dict):
                    result.last[message.get("message_type", "")] = message
                    if on_json is not None:
                        on_json(message, proc)
                else:
                    result.data = message
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        returncode = proc.wait()
        reader.join(timeout=10)
        result.returncode = returncode
        result.stderr = "".join(stderr_tail)
        if returncode != 0:
            raise ResticError(self.explain(returncode, result.stderr))
        return result

    def explain(self, returncode: int, stderr: str) -> str:
        text = stderr.lower()
        where = self.location
        if returncode < 0:
            try:
                name = signal.Signals(-returncode).name
            except ValueError:
                name = str(-returncode)
            return f"restic was killed by {name} before it finished; no snapshot was written"
        if "wrong password" in text:
            return f"wrong backup password for the repository at {where} (BACKUP_PASSWORD)"
        if "is there a repository at the following location" in text or "unable to open config file" in text:
            return (
                f"no restic repository at {where}; create it once with `python manage.py backup --init` "
                "(or check BACKUP_REPOSITORY)"
            )
        if "config file already exists" in text:
            return f"a restic repository already exists at {where}"
        if "no space left on device" in text:
            return f"the disk is full (no space left on device) while writing to {where}"
        if "no matching id found" in text or "no snapshot found" in text or "invalid id" in text:
            return f"no such snapshot in the repository at {where}"
        if "repository is already locked" in text:
            return f"the repository at {where} is locked by another restic process; try again later"
        last = " ".join(line.strip() for line in stderr.strip().splitlines()[-3:])
        return f"restic failed (exit {returncode}) on the repository at {where}: {last or 'no message'}"

    # ------------------------------------------------------------------ commands

    def exists(self) -> bool:
        """Whether the repository can be opened with this password (raises on a wrong one)."""
        try:
            self.run(["cat", "config", "--json"])
        except ResticError as exc:
            if str(exc).startswith("no restic repository"):
                return False
            raise
        return True

    def init(self) -> None:
        self.run(["init", "--json"])

    def snapshots(self, *selectors: str) -> list[dict[str, Any]]:
        data = self.run(["snapshots", "--json", *selectors]).data
        return data if isinstance(data, list) else []

    def snapshot(self, snapshot_id: str) -> dict[str, Any]:
        found = self.snapshots(snapshot_id)
        if not found:
            raise ResticError(f"no snapshot {snapshot_id!r} in the repository at {self.location}")
        return found[0]

    def read_file(self, snapshot_id: str, path: str) -> bytes:
        """One file of a snapshot, whole (``restic dump``): small files only (the manifest)."""
        result = subprocess.run(  # noqa: S603 — the restic binary found on PATH, our own arguments
            [self._executable(), "dump", snapshot_id, path],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            env=self._env(),
        )
        if result.returncode != 0:
            raise ResticError(self.explain(result.returncode, result.stderr.decode("utf-8", "replace")))
        return result.stdout

    def unlock(self) -> None:
        """Remove stale locks (left by a killed run); live ones stay."""
        self.run(["unlock"])

    def check(self, *, read_data_subset: str = "") -> RunResult:
        args = ["check"]
        if read_data_subset:
            args.append(f"--read-data-subset={read_data_subset}")
        return self.run(args)


@dataclass
class RunResult:
    returncode: int = 0
    stderr: str = ""
    data: Any = None
    text: list[str] = field(default_factory=list)
    last: dict[str, dict[str, Any]] = field(default_factory=dict)
