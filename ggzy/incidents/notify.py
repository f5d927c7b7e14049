"""Outbound notification of an incident to the 领导小组 (第八条, 第十条): e-mail and a
pluggable HTTP webhook for the SMS/IM gateway (URL and payload configurable:
``INCIDENT_WEBHOOK_URL``, ``INCIDENT_WEBHOOK_PAYLOAD``, ``INCIDENT_WEBHOOK_HEADERS``).

The payload setting is JSON whose string values may hold ``{placeholders}``:
incident, title, type, severity, status, detected_at, url, ack_url, phones,
names, escalated. Each message carries an acknowledge link; one not
acknowledged within ``INCIDENT_ACK_MINUTES`` is re-sent and escalated to the
应急领导小组 (``services.notifications_escalate``).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.core.base_url import admin_base_url
from ggzy.core.branding import mail_subject

from .models import Contact, Incident

logger = logging.getLogger("ggzy.incidents")

DEFAULT_PAYLOAD = {
    "msgtype": "text",
    "text": {"content": "{title}"},
    "incident": "{incident}",
    "severity": "{severity}",
    "phones": "{phones}",
    "ack_url": "{ack_url}",
}


def _fill(template: Any, values: dict[str, Any]) -> Any:
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [_fill(v, values) for v in template]
    if isinstance(template, str):
        # A value that is exactly one placeholder keeps its type (a list of phones stays a list).
        if template.startswith("{") and template.endswith("}") and template[1:-1] in values:
            return values[template[1:-1]]
        out = template
        for key, value in values.items():
            out = out.replace("{" + key + "}", value if isinstance(value, str) else json.dumps(value))
        return out
    return template


def message_values(incident: Incident, contacts: list[Contact], ack_url: str, *, escalated: bool) -> dict:
    base = admin_base_url()
    return {
        "incident": str(incident.pk),
        "title": _("【安全事件】%(title)s（%(type)s，%(severity)s）")
        % {
            "title": incident.title,
            "type": incident.get_incident_type_display(),
            "severity": incident.get_severity_display(),
        },
        "type": incident.incident_type,
        "severity": incident.severity,
        "status": incident.status,
        "detected_at": timezone.localtime(incident.detected_at).isoformat(timespec="seconds"),
        "url": f"{base}/admin/incidents/{incident.pk}/",
        "ack_url": ack_url,
        "phones": [c.phone for c in contacts if c.phone],
        "names": [c.name for c in contacts],
        "escalated": escalated,
    }


def webhook_payload(values: dict) -> dict:
    template = settings.INCIDENT_WEBHOOK_PAYLOAD
    if isinstance(template, str):
        template = json.loads(template) if template.strip() else DEFAULT_PAYLOAD
    return _fill(template or DEFAULT_PAYLOAD, values)


def send_webhook(payload: dict) -> tuple[bool, str]:
    """POST the payload as JSON; (delivered, error)."""
    url = settings.INCIDENT_WEBHOOK_URL
    if not url:
        return False, "INCIDENT_WEBHOOK_URL not set"
    if not url.startswith(("http://", "https://")):
        return False, "INCIDENT_WEBHOOK_URL must be http(s)"
    headers = {"Content-Type": "application/json; charset=utf-8", **(settings.INCIDENT_WEBHOOK_HEADERS or {})}
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, data=json.dumps(payload, ensure_ascii=False).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.INCIDENT_WEBHOOK_TIMEOUT) as response:  # noqa: S310
            ok = 200 <= response.status < 300
            return ok, "" if ok else f"HTTP {response.status}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        logger.error("incident webhook to %s failed: %s", url, exc)
        return False, str(exc)[:300]


def send_email(values: dict, recipients: list[str]) -> tuple[bool, str]:
    if not recipients:
        return False, "no e-mail recipients"
    body = "\n".join(
        [
            values["title"],
            _("发现时间：%(time)s") % {"time": values["detected_at"]},
            _("事件页面：%(url)s") % {"url": values["url"]},
            _("收到后请点击确认：%(url)s") % {"url": values["ack_url"]},
            _("（网络信息安全故障应急预案第八条：发生突发事件后 5 分钟内向领导小组报告。）"),
        ]
    )
    try:
        send_mail(mail_subject(values["title"]), body, None, recipients)
    except OSError as exc:
        return False, str(exc)[:300]
    return True, ""
