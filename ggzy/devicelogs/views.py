"""The device log screens in the admin (网络安全管理办法 五).

- 设备日志 (overview): collection per source and the archive chain — metadata only,
  for the 网络/安全/审计管理员 (addresses are confidential, 四(三));
- 设备日志检索: the lines themselves, only under an approved grant (五(五)), every
  search and every refusal audited;
- 设备日志查阅授权: readers ask, the 安全管理员 decides.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ggzy.audit.forms import GrantDecisionForm
from ggzy.audit.grant_views import decide_from_post, revoke_from_post
from ggzy.network import rules as network_rules

from . import selectors, services
from .choices import GrantStatus
from .forms import GrantRequestForm, SearchForm
from .models import DayArchive, DeviceLogGrant, LogFile

PAGE_SIZE = 100


def _forbidden(request, message: str, *, what: str) -> TemplateResponse:
    """A recorded refusal, as an explicit 403 page (Wagtail would redirect a raised
    PermissionDenied to the dashboard)."""
    services.refusal_record(actor=request.user, what=what)
    return TemplateResponse(
        request,
        "devicelogs/forbidden.html",
        {
            "page_title": _("无权访问"),
            "header_icon": "warning",
            "message": message,
            "can_request": selectors.is_reader(request.user),
        },
        status=403,
    )


def overview(request):
    if not network_rules.may_see_confidential(request.user):
        return _forbidden(
            request, _("只有网络管理员、安全管理员和审计管理员可以访问此页面。"), what="overview"
        )
    today = timezone.localdate()
    sources = (
        LogFile.objects.filter(day__gte=today - timedelta(days=7))
        .values("host", "device__name")
        .annotate(last=Max("last_line_at"), days=Count("pk"))
        .order_by("host")
    )
    return TemplateResponse(
        request,
        "devicelogs/overview.html",
        {
            "page_title": _("设备日志"),
            "header_icon": "doc-full",
            "sources": list(sources[:500]),
            "files": LogFile.objects.select_related("device").order_by("-day", "host")[:100],
            "archives": DayArchive.objects.select_related("device").order_by("-seq")[:100],
            "retention_days": settings.DEVICELOG_RETENTION_DAYS,
        },
    )


def _before(request):
    time = parse_datetime(request.GET.get("before_time", "") or "")
    try:
        pk = int(request.GET.get("before_id", ""))
    except ValueError:
        return None
    return (time, pk) if time else None


def search(request):
    try:
        grant = selectors.reading_grant(request.user)
    except PermissionDenied as exc:
        return _forbidden(request, str(exc), what="search")
    form = SearchForm(request.GET or None)
    filters = selectors.LineFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.LineFilters(
            device=data["device"].pk if data.get("device") else None,
            since=data.get("since"),
            until=data.get("until"),
            severity=data.get("severity"),
            text=(data.get("text") or "").strip(),
        )
    rows, next_key = [], None
    if not form.is_bound or form.is_valid():
        _grant, rows, next_key = services.search(
            actor=request.user, filters=filters, before=_before(request), size=PAGE_SIZE
        )
    query = request.GET.copy()
    query.pop("before_time", None)
    query.pop("before_id", None)
    return TemplateResponse(
        request,
        "devicelogs/search.html",
        {
            "page_title": _("设备日志检索"),
            "header_icon": "search",
            "form": form,
            "grant": grant,
            "rows": rows,
            "next_time": next_key[0].isoformat() if next_key else "",
            "next_id": next_key[1] if next_key else "",
            "query": query.urlencode(),
        },
    )


# --------------------------------------------------------------------------- grants


def grants(request):
    user = request.user
    reader, security = selectors.is_reader(user), selectors.is_security_admin(user)
    if not (reader or security):
        return _forbidden(request, _("只有网络管理员、审计管理员和安全管理员可以访问此页面。"), what="grants")
    form = None
    if reader:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = GrantRequestForm(
            request.POST or None, initial={"valid_from": now, "valid_until": now + timedelta(days=1)}
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.grant_request(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("查阅申请已提交，等待安全管理员审批。"))
                return redirect("devicelogs_grants")
    listing = DeviceLogGrant.objects.select_related("grantee", "decided_by", "scope_device")
    if not security:
        listing = listing.filter(grantee=user)
    return TemplateResponse(
        request,
        "devicelogs/grants.html",
        {
            "page_title": _("设备日志查阅授权"),
            "header_icon": "key",
            "form": form,
            "grants": listing[:200],
            "can_decide": security,
            "decision_form": GrantDecisionForm(),
            "grants_url": "devicelogs_grants",
            "decide_url": "devicelogs_grant_decide",
            "revoke_url": "devicelogs_grant_revoke",
            "pending": GrantStatus.PENDING,
            "approved": GrantStatus.APPROVED,
            "now": timezone.now(),
        },
    )


@require_POST
def grant_decide(request, pk: int):
    if not selectors.is_security_admin(request.user):
        return _forbidden(request, _("只有安全管理员可以审批设备日志查阅申请。"), what="grant_decide")
    return decide_from_post(
        request,
        grant=get_object_or_404(DeviceLogGrant, pk=pk),
        decide=services.grant_decide,
        back="devicelogs_grants",
        refuse=lambda message: _forbidden(request, message, what="grant_decide"),
    )


@require_POST
def grant_revoke(request, pk: int):
    if not selectors.is_security_admin(request.user):
        return _forbidden(request, _("只有安全管理员可以撤销授权。"), what="grant_revoke")
    return revoke_from_post(
        request,
        grant=get_object_or_404(DeviceLogGrant, pk=pk),
        revoke=services.grant_revoke,
        back="devicelogs_grants",
        refuse=lambda message: _forbidden(request, message, what="grant_revoke"),
    )
