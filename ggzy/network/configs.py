"""Configuration text: normalising what a device prints, hashing, diffing and masking
the secrets in it (password hashes, keys, SNMP communities) for every screen."""

from __future__ import annotations

import difflib
import hashlib
import re

MASK = "******"

# Lines that change on every pull without a configuration change (a Cisco running
# config's byte count and timestamps); dropped before hashing.
_VOLATILE = re.compile(
    r"^\s*(Building configuration\.\.\.|Current configuration\s*:|! Last configuration change at"
    r"|! NVRAM config last updated at|! No configuration change since|ntp clock-period)"
)

# A secret-bearing keyword, its qualifiers (encryption type, level, read/write…), then
# the value, which is masked: "password cipher X", "secret 9 X", "community read cipher X",
# "snmp-server community public RO", "super password level 3 cipher X".
_SECRET = re.compile(
    r"(?P<lead>\b(?:password|secret|community|pre-shared-key|key-string|authentication-key|cipher)"
    r"(?:\s+(?:level\s+\d+|\d+|cipher|irreversible-cipher|simple|hash|sha256|plain|read|write|ro|rw|"
    r"encrypted))*\s+)(?P<value>\S+)",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = [line.rstrip() for line in lines if not _VOLATILE.match(line)]
    return "\n".join(kept).strip("\n") + "\n"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unified_diff(old: str, new: str, *, old_name: str = "previous", new_name: str = "current") -> str:
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), old_name, new_name, n=3
        )
    )


def mask_line(line: str) -> str:
    return _SECRET.sub(lambda m: m.group("lead") + MASK, line)


def mask(text: str) -> str:
    """The text with every secret value replaced by ``MASK`` (works on diffs too)."""
    return "\n".join(mask_line(line) for line in text.split("\n"))
