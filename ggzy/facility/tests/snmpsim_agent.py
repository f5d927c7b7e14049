"""A real SNMP agent for the tests: ``snmpsim`` on a loopback UDP port, serving
recorded data files the tests write (one community per file: ``ups``, ``env``).
``set(community, {oid: value})`` rewrites a file and restarts the agent so the
next poll reads the new values."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from ggzy.facility import snmp

UPS_NORMAL = {
    snmp.UPS_BATTERY_STATUS: 2,
    snmp.UPS_MINUTES_REMAINING: 45,
    snmp.UPS_CHARGE_REMAINING: 100,
    snmp.UPS_INPUT_VOLTAGE: 220,
    snmp.UPS_OUTPUT_SOURCE: 3,
    snmp.UPS_OUTPUT_VOLTAGE: 221,
}
# A temperature/humidity unit whose model reports tenths (scale 10) under an enterprise OID.
ENV_TEMPERATURE_OID = "1.3.6.1.4.1.99999.1.1.0"
ENV_HUMIDITY_OID = "1.3.6.1.4.1.99999.1.2.0"
ENV_NORMAL = {ENV_TEMPERATURE_OID: 235, ENV_HUMIDITY_OID: 451}


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _responder() -> str:
    found = shutil.which("snmpsim-command-responder") or str(
        Path(sys.executable).parent / "snmpsim-command-responder"
    )
    return found


class Agent:
    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.cache = root / "cache"
        self.data.mkdir()
        self.cache.mkdir()
        self.port = _free_udp_port()
        self.host = "127.0.0.1"
        self.process = None
        self.values = {"ups": dict(UPS_NORMAL), "env": dict(ENV_NORMAL)}

    def _write(self):
        for community, values in self.values.items():
            lines = sorted(f"{oid}|2|{value}" for oid, value in values.items())
            (self.data / f"{community}.snmprec").write_text("\n".join(lines) + "\n")

    def start(self):
        self._write()
        env = {**os.environ, "SNMPSIM_ALLOW_ROOT": "true"}  # the CI container runs as root
        self.process = subprocess.Popen(
            [
                _responder(),
                f"--data-dir={self.data}",
                f"--cache-dir={self.cache}",
                f"--agent-udpv4-endpoint={self.host}:{self.port}",
                f"--logging-method=file:{self.root / 'agent.log'}",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_ready()

    def _wait_ready(self):
        deadline = time.monotonic() + 20
        target = snmp.Target(0, self.host, self.port, "ups", {"x": snmp.UPS_BATTERY_STATUS})
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"snmpsim exited: {(self.root / 'agent.log').read_text()[-2000:]}")
            (answer,) = snmp.get_all([target])
            if not answer.error:
                return
        raise RuntimeError("snmpsim did not answer within 20 s")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def set(self, community: str, values: dict[str, int]):
        self.values[community].update(values)
        self.stop()
        shutil.rmtree(self.cache)
        self.cache.mkdir()
        self.start()
