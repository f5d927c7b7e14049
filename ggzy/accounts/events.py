"""The seam between identity and the audit log.

Identity code calls :func:`emit` wherever a regulation says an event must be
recorded (login failures, lockouts, MFA enrolment/reset, password changes;
``ggzy.departures``, above, emits its departure events here too). It sends
:data:`security_event` and logs one INFO line. The audit app (网络安全管理办法
五) connects a receiver to the signal; identity does not import it.

Receivers are called synchronously, inside the caller's transaction, so an
audit record commits or rolls back with the change it describes.
"""

import logging
from typing import Any

from django.dispatch import Signal

from ggzy.core.actions import is_registered

__all__ = ["emit", "security_event"]

logger = logging.getLogger("ggzy.security")

# Sent with: action, actor, obj, outcome, request, data (a dict, never secrets).
security_event = Signal()

# Keys whose values are never logged nor sent, whatever a caller passes.
_SECRET_MARKERS = ("password", "token", "secret", "code", "otp", "key")


def _scrub(data: dict[str, Any]) -> dict[str, Any]:
    return {k: ("[已隐去]" if any(m in k.lower() for m in _SECRET_MARKERS) else v) for k, v in data.items()}


def _label(value: Any) -> str:
    if value is None:
        return "-"
    pk = getattr(value, "pk", None)
    return f"{value.__class__.__name__}:{pk}({value})" if pk is not None else str(value)


def emit(action: str, *, actor=None, obj=None, outcome: str = "success", request=None, **data: Any) -> None:
    """Record a security event (``app.object.verb``, e.g. ``accounts.login.failed``).

    ``action`` must be registered with a Chinese label (``ggzy/accounts/audit_actions.py``,
    ``ggzy.core.actions``): an unregistered name raises ``ValueError`` here, before
    anything is logged or sent.
    """
    if not is_registered(action):
        raise ValueError(f"security event {action!r} is not registered (see ggzy/accounts/audit_actions.py)")
    data = _scrub(data)
    logger.info(
        "security event %s outcome=%s actor=%s obj=%s data=%s",
        action,
        outcome,
        _label(actor),
        _label(obj),
        data,
    )
    security_event.send(
        sender=emit, action=action, actor=actor, obj=obj, outcome=outcome, request=request, data=data
    )
