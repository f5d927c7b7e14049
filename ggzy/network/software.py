"""网络安全管理办法 六: the software version a device runs — read from its answer to the
version command in the pull's SSH session (``version_from_output``), else from the header
of its pulled configuration (``version_from_config``) — and the comparison with the
register's target version."""

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


# 六: the version as the device reports it (``display version`` / ``show version``).
# Small patterns rather than ntc-templates: the value must compare with the register's
# target versions, written as the vendors name releases (V200R019C10SPC500,
# "7.1.064, Release 0821P11", 15.2(4)E7) — the same form as the configuration header.
_OUTPUT_PATTERNS = {
    # "VRP (R) software, Version 8.180 (ATN 910C-B V300R003C10SPC500)"
    "huawei_vrp": re.compile(r"VRP \(R\) software,\s*Version\s+[\d.]+\s+\([^)]*?\b(V\d{3}R\d{3}\w*)\)"),
    # "H3C Comware Software, Version 7.1.064, Release 0821P11"
    "hp_comware": re.compile(r"Comware Software,\s*Version\s+(\d[\w.]*(?:,\s*(?:ESS|Release)\s+\w+)?)"),
    # "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(4)E7, RELEASE SOFTWARE"
    "cisco_ios": re.compile(r"Cisco IOS(?: XE)? Software.*?,\s*Version\s+(\d[\w.()]*)"),
}


def version_from_output(text: str, platform: str) -> str:
    """The version in the output of the platform's version command, "" if not found."""
    pattern = _OUTPUT_PATTERNS.get(platform)
    if pattern is None or not text:
        return ""
    m = pattern.search(text)
    return m.group(1).strip() if m else ""
