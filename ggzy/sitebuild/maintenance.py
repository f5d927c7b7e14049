"""Taking the public site down to a maintenance page, and bringing it back.

网络信息安全故障应急预案 第六条(一) 断开网络 and 第四条(一) 终止不良信息传播: while an
attack or prohibited content is being dealt with, the public pages must stop
being served — without stopping the admin (where the incident is worked), the
intake API (the trading system's notices queue there) or the static assets the
admin needs. The page lives outside the publish root (the tamper check and the
signed manifest never see it); while the file exists, every public request is
answered 503 with it: by nginx (deploy/nginx-locations.conf tests the same
file), by the embedded file layer (serving.py hands such requests to Django) and
by :class:`MaintenanceMiddleware` for whatever reaches Django.

Bringing the site back first verifies the publish root against its signed
manifest: a site that is not intact stays down (restore it first).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.audit import services as audit

from .files import atomic_write, fsync_directory

# Paths that stay up while the public site is down (keep in step with the nginx `if`).
STAYS_UP = ("/admin/", "/api/", "/static/")
PAGE_NAME = "maintenance.html"  # nginx: try_files /maintenance.html
RETRY_AFTER_SECONDS = 600
NOTICE_MAX = 500


def page_path() -> Path:
    return Path(settings.SITE_MAINTENANCE_DIR) / PAGE_NAME


def is_down() -> bool:
    return os.path.isfile(page_path())


def down_since() -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(os.stat(page_path()).st_mtime, tz=dt.UTC)
    except OSError:
        return None


def applies_to(path: str) -> bool:
    """Whether a request for ``path`` gets the maintenance page now."""
    return not path.startswith(STAYS_UP) and is_down()


def render_page(*, notice: str = "", since: dt.datetime | None = None) -> bytes:
    return render_to_string(
        "sitebuild/maintenance.html",
        {
            "site_name": settings.WAGTAIL_SITE_NAME,
            "notice": notice,
            "since": timezone.localtime(since or timezone.now()),
        },
    ).encode("utf-8")


def maintenance_response() -> HttpResponse:
    try:
        body = page_path().read_bytes()
    except OSError:  # brought back between the check and the read
        body = render_page()
    response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class MaintenanceMiddleware:
    """503 with the maintenance page for every public path while the site is down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if applies_to(request.path_info):
            return maintenance_response()
        return self.get_response(request)


def site_take_down(*, actor, reason: str, notice: str = "", incident=None) -> bool:
    """Put the maintenance page up (idempotent: False when it already was).
    ``notice`` is shown to the public; ``reason`` only goes to the audit log."""
    reason, notice = (reason or "").strip(), (notice or "").strip()
    if not reason:
        raise ValidationError(_("请填写下线原因。"))
    if len(notice) > NOTICE_MAX:
        raise ValidationError(_("对外公告不能超过 %(n)d 个字。") % {"n": NOTICE_MAX})
    already = is_down()
    with transaction.atomic():
        audit.record(
            action="sitebuild.site.taken_down",
            actor=actor,
            obj=incident,
            reason=reason[:500],
            notice=notice,
            already_down=already,
        )
        if not already:
            path = page_path()
            atomic_write(path, render_page(notice=notice))
            fsync_directory(path.parent)
    return not already


def site_bring_back(*, actor, reason: str, verified_intact: bool, incident=None) -> bool:
    """Take the maintenance page down again (False when the site was up).
    ``verified_intact`` is the result of the caller's check of the publish root
    (tamper.site_check): a site that is not intact is not put back online."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写恢复原因。"))
    if not verified_intact:
        raise ValidationError(_("网站文件与签名清单不一致，请先从签名清单恢复，再恢复对外服务。"))
    was_down = is_down()
    with transaction.atomic():
        audit.record(
            action="sitebuild.site.brought_back",
            actor=actor,
            obj=incident,
            reason=reason[:500],
            was_down=was_down,
        )
        if was_down:
            page_path().unlink(missing_ok=True)
            fsync_directory(page_path().parent)
    return was_down
