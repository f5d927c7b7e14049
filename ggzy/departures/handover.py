"""What a departing person still holds, from the modules above (人员离岗离职信息安全管理规定
第二、三条): device passwords, equipment documents, keys, computers and laptops.

``departures`` sits below the modules that know these things (assets,
credentials), so it offers a registry and they register a source: a function
that lists, for one person, the entries still to hand over or return. The
departure page lists them; ``departure_close`` refuses while any is outstanding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ggzy.accounts.models import User

__all__ = ["HandoverEntry", "handover_entries", "handover_sources", "register_handover_source"]


@dataclass(frozen=True)
class HandoverEntry:
    """One thing a departing person holds: ``source`` says where it is kept (a
    translated name such as 资产台账, shown as the entry's category), ``label``
    what it is (e.g. 笔记本电脑 ZC-2026-0007), ``url`` where it is handled;
    ``outstanding`` False once returned or handed over; ``status`` the words
    for its state when 未归还/已归还 do not fit (a password: 待更换/已更换)."""

    source: str
    label: str
    detail: str = ""
    url: str = ""
    outstanding: bool = True
    status: str = ""


_SOURCES: dict[str, Callable[[User], Iterable[HandoverEntry]]] = {}


def register_handover_source(key: str, fn: Callable[[User], Iterable[HandoverEntry]]) -> None:
    """Register (or, for the same key, replace) a source of handover entries."""
    _SOURCES[key] = fn


def handover_sources() -> dict[str, Callable[[User], Iterable[HandoverEntry]]]:
    return dict(_SOURCES)


def handover_entries(user: User) -> list[HandoverEntry]:
    """Every registered source's entries for ``user``, outstanding first, in the
    order the sources registered."""
    entries = [entry for key in sorted(_SOURCES) for entry in _SOURCES[key](user)]
    return sorted(entries, key=lambda entry: not entry.outstanding)
