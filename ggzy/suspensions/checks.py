"""Compliance check homed in suspensions (registered in SuspensionsConfig.ready())."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.compliance.registry import CheckResult, register_check

from .models import SuspensionNotice, SuspensionRenderState
from .selectors import visible_notices


@register_check("wlaq.2.11")
def suspension_notices_shown_ahead(*, today: dt.date) -> CheckResult:
    """网络安全管理办法 二(十一): a scheduled suspension's notice is on the home page ahead of it."""
    now = timezone.now()
    links = [(_("暂停交易服务通知"), "/admin/suspensions/")]
    showing = list(visible_notices(now=now).values_list("pk", "title")[:50])
    rendered = SuspensionRenderState.objects.filter(pk=1).values_list("notice_ids", flat=True).first() or []
    unseen = [title for pk, title in showing if pk not in rendered]
    if unseen:
        return CheckResult(
            "failing",
            _("以下暂停通知应已在首页显示但未显示：%(titles)s") % {"titles": _("、").join(unseen[:5])},
            links,
        )
    pending = (
        SuspensionNotice.objects.filter(cancelled_at__isnull=True, display_from__gt=now)
        .order_by("display_from")
        .values_list("title", "display_from")
        .first()
    )
    if pending:
        title, display_from = pending
        return CheckResult(
            "due_soon",
            _("“%(title)s”将于 %(when)s 在首页显示")
            % {"title": title, "when": f"{timezone.localtime(display_from):%Y-%m-%d %H:%M}"},
            links,
        )
    if showing:
        return CheckResult("met", _("%(count)s 条暂停通知正在首页显示") % {"count": len(showing)}, links)
    return CheckResult("met", _("没有待发布的暂停交易服务通知"), links)
