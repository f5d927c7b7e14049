"""Each checkpoint's digest, sent off the box to syslog (issue 14 item 9).

The signed checkpoints live in the database; someone who restores an older
copy of the database (rolling back events and checkpoints together) leaves no
trace there. The same line at a syslog collector (the network module's, or any
RFC 3164/5424 receiver) does: the newest checkpoint it holds must still be in
the database. ``AUDIT_SYSLOG_ADDRESS`` is ``host:port`` (UDP); unset, nothing
is sent.
"""

import logging
import logging.handlers
import socket

from django.conf import settings

logger = logging.getLogger("ggzy.audit.offsite")
_handlers: dict[tuple[str, int], logging.Handler] = {}

FORMAT = "ggzy-audit-checkpoint kind={kind} seq={seq} hash={hash} mac={mac} at={at}"


def parse_address(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"AUDIT_SYSLOG_ADDRESS must be host:port, got {value!r}")
    return host.strip("[]"), int(port)


def _handler(address: tuple[str, int]) -> logging.Handler:
    if address not in _handlers:
        handler = logging.handlers.SysLogHandler(
            address=address,
            facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV,
            socktype=socket.SOCK_DGRAM,
        )
        handler.ident = "ggzy-audit: "
        _handlers[address] = handler
    return _handlers[address]


def checkpoint_line(checkpoint) -> str:
    return FORMAT.format(
        kind=checkpoint.kind,
        seq=checkpoint.seq,
        hash=checkpoint.hash,
        mac=checkpoint.mac,
        at=checkpoint.created_at.isoformat(),
    )


def send_checkpoint(checkpoint) -> bool:
    """Send one checkpoint line; False when off (no address) or when sending failed."""
    value = getattr(settings, "AUDIT_SYSLOG_ADDRESS", None)
    if not value:
        return False
    handler = _handler(parse_address(value))
    record = logging.LogRecord(
        logger.name, logging.WARNING, __file__, 0, checkpoint_line(checkpoint), None, None
    )
    try:
        handler.emit(record)
    except OSError:
        logger.exception("audit checkpoint could not be sent to syslog at %s", value)
        return False
    return True
