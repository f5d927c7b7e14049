"""Local user accounts read from a configuration (网络安全管理办法 三(一)(二)(三)): the
name, the privilege level as the device states it, and whether it is a super-user.

- Cisco IOS: ``username NAME [privilege N] secret|password …``; level 1 when absent,
  15 is the super-user.
- Huawei VRP: ``local-user NAME privilege level N`` (in ``aaa``); level 0 when absent,
  3 and above is the management (super-user) level.
- H3C Comware: a ``local-user NAME [class manage]`` block with
  ``authorization-attribute user-role network-admin|level-15`` (Comware 7) or
  ``authorization-attribute level 3`` (Comware 5) for the super-user; otherwise the
  default role network-operator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Account:
    name: str
    privilege: str
    superuser: bool


def _cisco(lines: list[str]) -> dict[str, Account]:
    out: dict[str, Account] = {}
    for line in lines:
        m = re.match(r"^username\s+(\S+)(.*)$", line)
        if m:
            level = re.search(r"\bprivilege\s+(\d+)", m.group(2))
            n = int(level.group(1)) if level else (out[m.group(1)].privilege if m.group(1) in out else 1)
            out[m.group(1)] = Account(m.group(1), str(n), int(n) >= 15)
    return out


def _huawei(lines: list[str]) -> dict[str, Account]:
    levels: dict[str, int] = {}
    for line in lines:
        m = re.match(r"^\s*local-user\s+(\S+)(.*)$", line)
        if not m:
            continue
        name = m.group(1)
        levels.setdefault(name, 0)
        level = re.search(r"\bprivilege level\s+(\d+)", m.group(2))
        if level:
            levels[name] = int(level.group(1))
    return {n: Account(n, str(level), level >= 3) for n, level in levels.items()}


def _comware(lines: list[str]) -> dict[str, Account]:
    out: dict[str, Account] = {}
    current = None
    for line in lines:
        m = re.match(r"^local-user\s+(\S+)", line)
        if m:
            current = m.group(1)
            out[current] = Account(current, "network-operator", False)
            continue
        if current is None or not line.startswith(" "):
            current = None if not line.startswith(" ") else current
            continue
        role = re.match(r"^\s+authorization-attribute\s+(user-role\s+(\S+)|level\s+(\d+))", line)
        if role:
            value = role.group(2) or f"level-{role.group(3)}"
            superuser = value in {"network-admin", "level-15"} or (
                role.group(3) is not None and int(role.group(3)) >= 3
            )
            previous = out[current]
            out[current] = Account(
                current,
                value if not previous.superuser else previous.privilege,
                superuser or previous.superuser,
            )
    return out


def parse(text: str, platform: str) -> list[Account]:
    lines = text.splitlines()
    reader = {"cisco_ios": _cisco, "huawei_vrp": _huawei, "hp_comware": _comware}.get(platform)
    if reader is None:
        return []
    return sorted(reader(lines).values(), key=lambda a: a.name)
