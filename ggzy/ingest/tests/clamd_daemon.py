"""A real clamd on a loopback TCP port for the tests, with a signature database the
test writes itself (this network has no update server): the EICAR test file's MD5.

Debian's clamav-daemon; ``make test`` installs it where missing. The daemon is never
skipped: a missing binary fails the tests that need it."""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
import time
from pathlib import Path

# The industry's harmless test file (eicar.org), assembled so that no scanner flags
# this source file itself.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "Eicar-Test-Signature"
CLAMD = shutil.which("clamd") or "/usr/sbin/clamd"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Clamd:
    def __init__(self, root: Path):
        self.root = root
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def start(self) -> None:
        database = self.root / "db"
        database.mkdir()
        (database / "ggzy-test.hdb").write_text(
            # ClamAV's .hdb format is MD5:size:name.
            f"{hashlib.md5(EICAR, usedforsecurity=False).hexdigest()}:{len(EICAR)}:{SIGNATURE}\n"
        )
        config = self.root / "clamd.conf"
        config.write_text(
            "\n".join(
                [
                    "Foreground yes",
                    f"TCPSocket {self.port}",
                    "TCPAddr 127.0.0.1",
                    f"DatabaseDirectory {database}",
                    f"LogFile {self.root / 'clamd.log'}",
                    "StreamMaxLength 100M",
                    "",
                ]
            )
        )
        self.process = subprocess.Popen(
            [CLAMD, f"--config-file={config}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"clamd exited: {self.process.stderr.read().decode()[-500:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"zPING\0")
                    if sock.recv(16).startswith(b"PONG"):
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("clamd did not answer PING within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
