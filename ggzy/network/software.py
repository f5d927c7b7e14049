"""网络安全管理办法 六: the software version a device runs, read from the header of its
pulled configuration, and the comparison with the register's target version."""

from __future__ import annotations

import re

_PATTERNS = {
    # Huawei VRP: "!Software Version V200R019C10SPC500"
    "huawei_vrp": re.compile(r"^\s*!\s*Software Version\s+(\S+)", re.MULTILINE),
    # H3C Comware: " version 7.1.064, Release 0821P11"
    "hp_comware": re.compile(r"^\s*version\s+(\d[\w.]*(?:,\s*(?:ESS|Release)\s+\w+)?)", re.MULTILINE),
    # Cisco IOS: "version 15.2"
    "cisco_ios": re.compile(r"^version\s+(\d[\w.()]*)", re.MULTILINE),
}


def version_from_config(text: str, platform: str) -> str:
    pattern = _PATTERNS.get(platform)
    if pattern is None:
        return ""
    m = pattern.search(text)
    return m.group(1).strip() if m else ""


def version_key(version: str) -> tuple:
    """A natural ordering: numbers as numbers, the rest as lower-case text
    ("V200R019C10SPC500" < "V200R019C10SPC600" < "V200R020C00"; "15.2(4)M7" < "15.9")."""
    parts = re.findall(r"\d+|[A-Za-z]+", version)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in parts)


def below(version: str, target: str) -> bool:
    if not version or not target:
        return False
    return version_key(version) < version_key(target)
