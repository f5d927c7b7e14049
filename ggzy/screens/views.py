"""The screen register's list with each screen's state (在线 / 离线 …) and its page."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules
from .choices import OFFLINE_STATUSES, ScreenStatus
from .models import Screen
from .registers import SCREENS


def screen_index(request, key: str):
    if not rules.may_see(request.user):
        return SCREENS._forbidden(request, _("您无权查看此登记表。"))
    now = timezone.now()
    rows = []
    for screen in Screen.objects.select_related("room").order_by("name"):
        status = screen.status_at(now)
        rows.append(
            {
                "screen": screen,
                "status": status,
                "status_label": ScreenStatus(status).label,
                "offline": status in OFFLINE_STATUSES,
                "last_seen": timezone.localtime(screen.last_seen_at).strftime("%Y-%m-%d %H:%M:%S")
                if screen.last_seen_at
                else "—",
            }
        )
    return TemplateResponse(
        request,
        "screens/index.html",
        {
            "page_title": _("电子屏"),
            "header_icon": "desktop",
            "register": SCREENS["screens"],
            "rows": rows,
            "offline_count": sum(1 for row in rows if row["offline"]),
            "can_keep": rules.may_keep(request.user),
        },
    )
