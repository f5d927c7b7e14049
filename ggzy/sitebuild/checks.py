"""Compliance checks homed in sitebuild (registered in SitebuildConfig.ready())."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from ggzy.compliance.choices import Status
from ggzy.compliance.registry import CheckResult, register_check
from ggzy.notices.models import NoticePage
from ggzy.portal.models import ArticlePage
from ggzy.publishing.models import PublicationRecord

from .models import LinkCheck, TamperCheck, UptimeProbe

# Runs every 5 minutes (SCHEDULE_VERIFY_SITE); one missed run is tolerated.
TAMPER_CHECK_MAX_AGE = dt.timedelta(minutes=10)


@register_check("wzgl.18")
def tamper_check_recent(*, today: dt.date) -> CheckResult:
    """网站管理制度 第十八条: the tamper check ran within 10 minutes and left nothing unrestored."""
    last = TamperCheck.objects.order_by("-checked_at", "-pk").first()
    links = [(_("网页防篡改检查"), "/admin/snippets/sitebuild/tampercheck/")]
    if last is None:
        return CheckResult("no_data", _("网页防篡改检查尚未运行过"), links)
    when = timezone.localtime(last.checked_at)
    if not last.intact and not (last.restored and last.intact_after_restore):
        return CheckResult(
            "failing", _("%(when)s 的防篡改检查发现篡改且未恢复") % {"when": f"{when:%Y-%m-%d %H:%M}"}, links
        )
    if timezone.now() - last.checked_at > TAMPER_CHECK_MAX_AGE:
        return CheckResult(
            "overdue",
            _("防篡改检查最近一次运行于 %(when)s，超过 10 分钟") % {"when": f"{when:%Y-%m-%d %H:%M}"},
            links,
        )
    state = _("未发现篡改") if last.intact else _("发现篡改并已恢复")
    return CheckResult(
        "met", _("防篡改检查 %(time)s 运行，%(state)s") % {"time": f"{when:%H:%M}", "state": state}, links
    )


@register_check("xxfb.1.10")
def published_pages_have_records(*, today: dt.date) -> CheckResult:
    """信息发布管理制度 (十): every live article and notice has its publication record."""
    live = Page.objects.live().type(ArticlePage, NoticePage)
    missing = list(
        live.filter(~Exists(PublicationRecord.objects.filter(page=OuterRef("pk"))))
        .order_by("pk")
        .values_list("title", flat=True)[:6]
    )
    if missing:
        names = _("、").join(missing[:5]) + (_("等") if len(missing) > 5 else "")
        return CheckResult("failing", _("以下已发布页面没有信息发布记录：%(names)s") % {"names": names})
    return CheckResult("met", _("所有已发布的文章和公告均有信息发布记录"))


LINK_CHECK_STALE = dt.timedelta(days=2)


@register_check("wzgl.7")
def no_broken_links(*, today: dt.date) -> CheckResult:
    """网站管理制度 第七条 网站日常维护 — and the inspection's 不可用链接: the nightly crawl
    of internal links, the newest publish-time check since that crawl (it carries every
    finding still open: a later publish re-checks and clears what it fixed), and the
    nightly external-link check found nothing broken; one on the home page is a veto
    (counted apart). Three queries."""
    last = LinkCheck.objects.filter(scope=LinkCheck.FULL).order_by("-checked_at").first()
    links = [(_("网页防篡改检查"), "/admin/site/tamper-checks/")]
    if last is None:
        return CheckResult(Status.NO_DATA, _("尚未运行链接检查（check_links）"), links)
    when = timezone.localtime(last.checked_at)
    if timezone.now() - last.checked_at > LINK_CHECK_STALE:
        return CheckResult(
            Status.OVERDUE, _("链接检查已停止：最近一次 %(at)s") % {"at": f"{when:%Y-%m-%d %H:%M}"}, links
        )
    since = list(
        LinkCheck.objects.filter(scope=LinkCheck.PUBLISH, checked_at__gt=last.checked_at)
        .order_by("-checked_at", "-pk")
        .only("broken", "broken_count", "home_broken_count")[:1]
    )
    external = LinkCheck.objects.filter(scope=LinkCheck.EXTERNAL).order_by("-checked_at").first()
    runs = [last, *since, *([external] if external is not None else [])]
    broken = [pair for run in runs for pair in run.broken]
    broken_count = sum(run.broken_count for run in runs)
    home_broken = sum(run.home_broken_count for run in runs)
    sample = "；".join(f"{page} → {target}" for page, target in broken[:3])
    if home_broken:
        return CheckResult(
            Status.FAILING,
            _("首页有 %(n)d 个不可用链接（单项否决）：%(sample)s") % {"n": home_broken, "sample": sample},
            links,
        )
    if broken_count:
        return CheckResult(
            Status.FAILING,
            _("%(n)d 个不可用链接：%(sample)s") % {"n": broken_count, "sample": sample},
            links,
        )
    detail = _("%(at)s 检查 %(p)d 个页面、%(l)d 个链接，均可用") % {
        "at": f"{when:%Y-%m-%d %H:%M}",
        "p": last.pages_checked,
        "l": last.links_checked,
    }
    if external is not None:
        detail += _("；外部链接 %(l)d 个均可用") % {"l": external.links_checked}
    return CheckResult(Status.MET, detail, links)


UPTIME_STALE = dt.timedelta(minutes=5)


@register_check("wzgl.7")
def site_available(*, today: dt.date) -> CheckResult:
    """政府网站检查指标 站点无法访问: the newest probe of each public URL (every minute)
    answered; a certificate expiring within the warning period is due soon."""
    links = [(_("网页防篡改检查"), "/admin/site/tamper-checks/")]
    if not settings.UPTIME_BASE_URL:
        return CheckResult(Status.NO_DATA, _("未配置可用性探测（UPTIME_BASE_URL）"), links)
    since = timezone.now() - UPTIME_STALE
    latest: dict[str, UptimeProbe] = {}
    for probe in UptimeProbe.objects.filter(checked_at__gte=since).order_by("checked_at", "pk"):
        latest[probe.url] = probe
    if not latest:
        return CheckResult(Status.OVERDUE, _("5 分钟内没有可用性探测记录（探测任务已停止？）"), links)
    down = [p for p in latest.values() if not p.ok]
    if down:
        return CheckResult(
            Status.FAILING,
            _("无法访问：%(urls)s") % {"urls": "；".join(f"{p.url}（{p.error}）" for p in down[:3])},
            links,
        )
    warn = dt.timedelta(days=settings.UPTIME_TLS_WARN_DAYS)
    expiring = [p for p in latest.values() if p.tls_expires_at and p.tls_expires_at - p.checked_at < warn]
    if expiring:
        return CheckResult(
            Status.DUE_SOON,
            _("网站证书将于 %(d)s 到期")
            % {"d": f"{timezone.localtime(expiring[0].tls_expires_at):%Y-%m-%d}"},
            links,
        )
    average = sum(p.elapsed_ms for p in latest.values()) // len(latest)
    return CheckResult(
        Status.MET, _("%(n)d 个地址可访问，平均响应 %(ms)d 毫秒") % {"n": len(latest), "ms": average}, links
    )
