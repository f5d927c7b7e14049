"""Compliance check homed in screens (registered in ScreensConfig.ready())."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.compliance.registry import CheckResult, register_check

from .models import Screen

LINKS = ((gettext_lazy("电子屏登记"), "/admin/screens/registers/screens/"),)


@register_check("sb.3")
def screens_online(*, today: dt.date) -> CheckResult:
    """网络设备管理制度 第三条 (电子屏…发现问题及时处理): every enabled screen fetched
    its data within its offline threshold. One query (the heartbeat itself is read
    into ``last_seen_at`` every minute by the screens' tick)."""
    now = timezone.now()
    screens = list(
        Screen.objects.filter(enabled=True).only(
            "name", "enabled", "last_seen_at", "offline_minutes", "created_at"
        )
    )
    links = [(str(label), url) for label, url in LINKS]
    if not screens:
        return CheckResult("no_data", _("尚未登记启用的电子屏"), links)
    offline = [s for s in screens if s.is_offline(now)]
    if offline:
        return CheckResult(
            "failing",
            _("%(count)d 块电子屏离线：%(names)s")
            % {"count": len(offline), "names": "、".join(s.name for s in offline[:10])},
            links,
        )
    return CheckResult("met", _("%(count)d 块电子屏均在线") % {"count": len(screens)}, links)
