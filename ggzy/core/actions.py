"""The catalogue of audit action names, with their Chinese labels.

Every event in the audit chain names what happened as ``app.object.verb``
(网络安全管理办法 五(二): who, when, and what they did). Each app registers the
names it records, once, with a Chinese label for the 审计管理员 who reads them:

    # ggzy/<app>/audit_actions.py, imported from the app's AppConfig.ready()
    register_actions("notices", {"notices.apitoken.created": _("创建接口令牌"), ...})

``ggzy.audit.services.record`` (and ``ggzy.accounts.events.emit``) refuse a name
that is not registered, so a typo fails the test that runs it; a test scans the
source for every literal name and checks that it is registered.

The registry lives in ``core`` because every app records events, and
``accounts`` sits below ``audit`` in the layers (it may not import audit).

Why not Wagtail's ``register_log_actions`` hook: that registry describes
Wagtail's own ``PageLogEntry``/``ModelLogEntry`` actions (``wagtail.publish``)
and their formatters for Wagtail's history views. Our names are not Wagtail log
entries: they name events of our own hash chain (``ggzy.audit``), most of them
without a Wagtail log entry at all (logins, MFA, grants, exports, departures),
and registering them there would put them into every Wagtail history filter.
Where our names are derived from Wagtail's log actions (``ggzy.audit.receivers``)
the audit app registers the derived names, and a test checks them against
Wagtail's registry.

A set of names that is open by construction (the audit receivers name every
admin-edited model's create/edit/delete after the model) is registered as a
*family*: a pattern plus a function that returns the label, or ``None`` when a
name matching the pattern does not exist (an unknown model or verb).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ACTION_NAME",
    "action_label",
    "families",
    "is_registered",
    "register_action_family",
    "register_actions",
    "registered_actions",
]

# app.object.verb: lower-case identifiers, at least three parts.
ACTION_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){2,}$")


@dataclass(frozen=True)
class _Entry:
    registrant: str
    label: Any  # str or a lazy translation


@dataclass(frozen=True)
class ActionFamily:
    registrant: str
    pattern: re.Pattern[str]
    label: Callable[[re.Match[str]], Any]
    description: str


_actions: dict[str, _Entry] = {}
_families: list[ActionFamily] = []


def register_actions(registrant: str, actions: Mapping[str, Any]) -> None:
    """Register ``{action: label}``; ``registrant`` is the app that records them.

    Registering the same name again with the same label from the same app is a
    no-op; any other second registration is refused (two apps must not claim one
    name with two meanings).
    """
    for action, label in actions.items():
        if not ACTION_NAME.match(action):
            raise ValueError(f"audit action must be namespaced app.object.verb, got {action!r}")
        if not str(label).strip():
            raise ValueError(f"audit action {action!r} needs a label")
        entry = _Entry(registrant, label)
        known = _actions.get(action)
        if known is not None and (known.registrant, str(known.label)) != (registrant, str(label)):
            raise ValueError(f"audit action {action!r} is already registered by {known.registrant!r}")
        _actions[action] = entry


def register_action_family(
    registrant: str, *, pattern: str, label: Callable[[re.Match[str]], Any], description: str
) -> None:
    """Register an open set of names: those that match ``pattern`` and for which
    ``label(match)`` returns a label (``None``: no such action)."""
    family = ActionFamily(registrant, re.compile(pattern), label, description)
    if any(f.registrant == registrant and f.pattern.pattern == pattern for f in _families):
        return
    _families.append(family)


def _family_label(action: str) -> Any:
    for family in _families:
        match = family.pattern.fullmatch(action)
        if match is not None:
            label = family.label(match)
            if label is not None:
                return label
    return None


def is_registered(action: str) -> bool:
    return action in _actions or (bool(ACTION_NAME.match(action)) and _family_label(action) is not None)


def action_label(action: str) -> str:
    """The Chinese label of ``action``; the raw name if it is not (or no longer) registered
    (old events keep the name they were recorded with)."""
    entry = _actions.get(action)
    if entry is not None:
        return str(entry.label)
    label = _family_label(action) if ACTION_NAME.match(action) else None
    return str(label) if label is not None else action


def registered_actions() -> dict[str, tuple[str, str]]:
    """Every explicitly registered name: ``{action: (registrant, label)}``, sorted."""
    return {a: (e.registrant, str(e.label)) for a, e in sorted(_actions.items())}


def families() -> Iterable[ActionFamily]:
    return tuple(_families)
