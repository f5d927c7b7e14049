"""Debian's nmap, run inside an approved plan, and its XML read safely.

The XML goes through defusedxml (no DTDs, no entities, size-capped) — python-libnmap
was considered and not used: it parses with the standard library's parser, which
expands entities."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse as safe_parse
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import Technique

_PROGRESS = re.compile(r"About (\d+(?:\.\d+)?)% done")


@dataclass(frozen=True)
class OpenPort:
    protocol: str
    port: int
    service: str = ""
    product: str = ""
    version: str = ""


@dataclass
class HostResult:
    address: str
    hostname: str = ""
    ports: list[OpenPort] = field(default_factory=list)


def binary() -> str:
    return getattr(settings, "NMAP_BINARY", "/usr/bin/nmap")


def max_report_bytes() -> int:
    return getattr(settings, "VULNS_MAX_REPORT_BYTES", 50 * 1024 * 1024)


def command(*, technique: str, targets: list[str], ports: str, max_rate: int, output: Path) -> list[str]:
    """A TCP connect scan (no raw packets), rate- and time-bounded; targets are
    validated addresses and networks (scope.parse_targets), never free text."""
    args = [
        binary(),
        "-n",  # no DNS: the scope is addresses
        "-Pn",
        "-sT",
        "-p",
        ports,
        "--max-rate",
        str(max_rate),
        "--max-retries",
        "2",
        "--host-timeout",
        f"{getattr(settings, 'VULNS_HOST_TIMEOUT_SECONDS', 300)}s",
        "--stats-every",
        "1s",
        "-oX",
        str(output),
    ]
    if technique == Technique.SERVICE_SCAN:
        args += ["-sV", "--version-light"]
    return args + targets


def run(args: list[str], *, timeout: float, on_progress: Callable[[int], None]) -> None:
    """Run nmap, reporting progress from its periodic stats; killed at the timeout
    (the end of the plan's window). Raises RuntimeError with nmap's own message."""
    process = subprocess.Popen(  # noqa: S603 — a fixed binary, validated arguments
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    timer = _Killer(process, timeout)
    try:
        last = -1
        for line in process.stdout:
            if match := _PROGRESS.search(line):
                percent = min(99, int(float(match[1])))
                if percent != last:
                    last = percent
                    on_progress(percent)
        stderr = process.stderr.read()
        code = process.wait()
    finally:
        timer.cancel()
    if timer.fired:
        raise TimeoutError("nmap was stopped at the end of the plan's time window")
    if code != 0:
        raise RuntimeError(f"nmap exited with {code}: {stderr.strip()[:300]}")


class _Killer:
    def __init__(self, process, timeout: float):
        import threading

        self.fired = False
        self._process = process
        self._timer = threading.Timer(max(timeout, 0.1), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        self._process.kill()

    def cancel(self) -> None:
        self._timer.cancel()


def parse(path: Path) -> list[HostResult]:
    """The hosts that were up and their open ports. A file that is too large, not
    nmap's XML, or hostile (DTD, entities) is refused with a clear message."""
    if path.stat().st_size > max_report_bytes():
        raise ValidationError(
            _("扫描结果文件过大（上限 %(mb)s MB）。") % {"mb": max_report_bytes() // (1024 * 1024)}
        )
    try:
        # nmap writes <!DOCTYPE nmaprun>; entities and external references stay forbidden.
        root = safe_parse(str(path), forbid_dtd=False, forbid_entities=True, forbid_external=True).getroot()
    except DefusedXmlException as exc:
        raise ValidationError(_("扫描结果文件含有不允许的 XML 结构（实体或外部引用），已拒绝。")) from exc
    except Exception as exc:  # ParseError and friends: not well-formed
        raise ValidationError(_("扫描结果文件不是有效的 XML：%(error)s") % {"error": str(exc)[:200]}) from exc
    if root.tag != "nmaprun":
        raise ValidationError(_("这不是 nmap 的 XML 结果文件（根元素应为 nmaprun）。"))
    return list(_hosts(root))


def _hosts(root) -> Iterator[HostResult]:
    for host in root.iter("host"):
        status = host.find("status")
        if status is not None and status.get("state") != "up":
            continue
        address = next(
            (a.get("addr", "") for a in host.findall("address") if a.get("addrtype") in ("ipv4", "ipv6")),
            "",
        )
        if not address:
            continue
        name = host.find("hostnames/hostname")
        result = HostResult(
            address=address, hostname=(name.get("name", "") if name is not None else "")[:255]
        )
        for port in host.findall("ports/port"):
            state = port.find("state")
            if state is None or state.get("state") != "open":
                continue
            try:
                number = int(port.get("portid", ""))
            except ValueError:
                continue
            attrs = dict(port.find("service").attrib) if port.find("service") is not None else {}
            result.ports.append(
                OpenPort(
                    protocol=port.get("protocol", "tcp")[:10],
                    port=number,
                    service=attrs.get("name", "")[:100],
                    product=attrs.get("product", "")[:100],
                    version=attrs.get("version", "")[:100],
                )
            )
        yield result
