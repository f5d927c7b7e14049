"""Who is asking, from where, in which request: captured once per request so
that ``record()`` can stamp every event without threading the request through
every service."""

import contextvars
import ipaddress
import re
import uuid
from dataclasses import dataclass

from django.conf import settings

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None
    request: object | None = None


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "ggzy_audit_request", default=None
)


def current() -> RequestContext | None:
    return _current.get()


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """REMOTE_ADDR, unless a trusted proxy header is named in AUDIT_CLIENT_IP_HEADER.

    A header is only trusted when the deployment says so: behind nginx that
    sets it itself. For X-Forwarded-For the right-most entry is the address
    the proxy saw.
    """
    header = getattr(settings, "AUDIT_CLIENT_IP_HEADER", None)
    if header:
        value = request.META.get(header, "")
        if value:
            ip = _valid_ip(value.split(",")[-1])
            if ip:
                return ip
    return _valid_ip(request.META.get("REMOTE_ADDR"))


def context_for(request) -> RequestContext:
    cached = getattr(request, "_ggzy_audit_context", None)
    if cached is not None:
        return cached
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
    ctx = RequestContext(request_id=request_id, ip=client_ip(request), request=request)
    request._ggzy_audit_context = ctx
    return ctx


class AuditContextMiddleware:
    """Binds the request id and client IP for audit records; echoes X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ctx = context_for(request)
        token = _current.set(ctx)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response.headers.setdefault("X-Request-ID", ctx.request_id)
        return response
