"""Availability of the public site, probed from the server every minute (政府网站检查
指标: 站点无法访问; 应急预案 第三、五条 — an outage is an incident): the home page, the
newest notice and search; the response time recorded; a TLS certificate expiring within
30 days warned. Three failed probes of a URL in a row raise an alert in the incidents
module; the next good one recovers it. Probes are kept 30 days.

From outside the server (what a visitor sees) the same URLs can be probed by any
monitoring service: docs/portal.md lists them."""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import time
import urllib.error
import urllib.request
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from ggzy.incidents.alerts import raise_alert, resolve_alert
from ggzy.incidents.choices import IncidentType, Severity
from ggzy.notices.models import NoticePage

from .models import UptimeProbe

KEEP_DAYS = 30
ALERT_SOURCE = "sitebuild"


def probe_urls() -> list[str]:
    base = settings.UPTIME_BASE_URL.rstrip("/")
    if not base:
        return []
    urls = [f"{base}/", f"{base}/search/?q={quote('公告')}"]
    newest = Page.objects.live().type(NoticePage).order_by("-first_published_at").first()
    if newest is not None:
        urls.insert(1, base + newest.url)
    return urls


def _fetch(url: str, timeout: float) -> tuple[int | None, str]:
    request = urllib.request.Request(url, headers={"User-Agent": "ggzy-uptime"})  # noqa: S310 (our own URLs)
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=_tls_context()) as response:  # noqa: S310
            response.read(65536)
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ssl.SSLError) as exc:
        return None, str(getattr(exc, "reason", exc))[:300]


def _tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    if settings.UPTIME_CA_FILE:
        context.load_verify_locations(settings.UPTIME_CA_FILE)
    return context


def tls_expires_at(url: str, timeout: float) -> dt.datetime | None:
    """The expiry of the certificate the site presents (None for http or on failure)."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        return None
    try:
        raw = socket.create_connection((parts.hostname, parts.port or 443), timeout=timeout)
        with raw, _tls_context().wrap_socket(raw, server_hostname=parts.hostname) as tls:
            cert = tls.getpeercert()
    except (OSError, ssl.SSLError):
        return None
    return dt.datetime.fromtimestamp(ssl.cert_time_to_seconds(cert["notAfter"]), tz=dt.UTC)


def uptime_probe(*, now: dt.datetime | None = None) -> list[UptimeProbe]:
    now = now or timezone.now()
    timeout = settings.UPTIME_TIMEOUT_SECONDS
    probes = []
    for url in probe_urls():
        started = time.perf_counter()
        status, error = _fetch(url, timeout)
        elapsed = int((time.perf_counter() - started) * 1000)
        ok = status is not None and 200 <= status < 400
        probes.append(
            UptimeProbe(
                url=url,
                checked_at=now,
                ok=ok,
                status_code=status,
                elapsed_ms=elapsed,
                error="" if ok else (error or f"HTTP {status}"),
                tls_expires_at=tls_expires_at(url, timeout) if url.startswith("https:") else None,
            )
        )
    with transaction.atomic():
        UptimeProbe.objects.bulk_create(probes)
        for probe in probes:
            _alert(probe)
        UptimeProbe.objects.filter(checked_at__lt=now - dt.timedelta(days=KEEP_DAYS)).delete()
    return probes


def _alert(probe: UptimeProbe) -> None:
    key = f"uptime:{probe.url}"[:200]
    if probe.ok:
        resolve_alert(
            source=ALERT_SOURCE, key=key, detail=_("恢复访问（%(ms)d 毫秒）") % {"ms": probe.elapsed_ms}
        )
    else:
        recent = list(
            UptimeProbe.objects.filter(url=probe.url)
            .order_by("-checked_at", "-pk")
            .values_list("ok", flat=True)[: settings.UPTIME_FAILURES_TO_ALERT]
        )
        if len(recent) == settings.UPTIME_FAILURES_TO_ALERT and not any(recent):
            raise_alert(
                source=ALERT_SOURCE,
                key=key,
                title=_("网站无法访问：%(url)s") % {"url": probe.url},
                incident_type=IncidentType.SOFTWARE,
                severity=Severity.LARGE,
                detail=probe.error,
            )
    if probe.tls_expires_at is not None:
        days = (probe.tls_expires_at - probe.checked_at).days
        host = urlsplit(probe.url).hostname or ""
        if days < settings.UPTIME_TLS_WARN_DAYS:
            raise_alert(
                source=ALERT_SOURCE,
                key=f"tls:{host}",
                title=_("网站证书将在 %(n)d 天后到期") % {"n": max(days, 0)},
                incident_type=IncidentType.SOFTWARE,
                severity=Severity.GENERAL,
                detail=f"{host} notAfter {probe.tls_expires_at:%Y-%m-%d}",
            )
        else:
            resolve_alert(source=ALERT_SOURCE, key=f"tls:{host}", detail=_("证书已更新"))
