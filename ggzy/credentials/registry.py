"""Machine uses of the vault: the modules above that log in to something on the
center's behalf (a device's SSH for a configuration backup, the backup
repository's password) register the use here; a credential names at most one
use, chosen by whoever manages it, and only that use can open it without a
person (:func:`ggzy.credentials.services.secret_for_system`).

密码、口令管理制度 一: a password is seen by the people listed on it; a machine
use is one more, named, audited reader — never an open door.
"""

from __future__ import annotations

from django.utils.functional import Promise

__all__ = ["register_system_use", "system_use_choices", "system_use_label"]

_USES: dict[str, str | Promise] = {}


def register_system_use(key: str, label: str | Promise) -> None:
    """Called from an app's ``ready()``: ``key`` is ``app.purpose`` (e.g.
    ``network.config_backup``), ``label`` its Chinese name."""
    if "." not in key or len(key) > 60:
        raise ValueError(f"system use key must be 'app.purpose' (at most 60 characters), got {key!r}")
    if _USES.get(key, label) != label:
        raise ValueError(f"system use {key!r} registered twice with different labels")
    _USES[key] = label


def system_use_choices() -> list[tuple[str, str | Promise]]:
    return sorted(_USES.items())


def system_use_label(key: str) -> str | Promise | None:
    return _USES.get(key)
