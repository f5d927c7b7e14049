"""The audit back office in the Wagtail admin (网络安全管理办法 五(三)(五)).

Only the 审计管理员 reads, only under an approved, unexpired grant; the
安全管理员 approves grants; the 系统管理员 (also the bootstrap superuser)
gets 403. Every read, export and refusal is itself an audit event.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ggzy.core.exports import XLSX_CONTENT_TYPE, SafeWorkbook

from . import selectors, services
from .choices import GrantStatus, Outcome
from .forms import EventFilterForm, GrantDecisionForm, GrantRequestForm, ReviewForm
from .grant_views import decide_from_post, revoke_from_post
from .models import AuditAccessGrant, AuditReview

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def _forbidden(request, message: str, *, what: str) -> TemplateResponse:
    """A recorded refusal. An explicit 403 page: Wagtail would turn a raised
    PermissionDenied into a redirect to the dashboard, hiding the refusal."""
    services.record(action="audit.log.access_denied", outcome=Outcome.FAILURE, attempted=what)
    return TemplateResponse(
        request,
        "audit/forbidden.html",
        {
            "page_title": _("无权访问"),
            "header_icon": "warning",
            "message": message,
            "can_request": selectors.is_audit_admin(request.user),
        },
        status=403,
    )


def _grant_or_refuse(request, what: str):
    """The reader's grant, or a recorded 403 response."""
    try:
        return selectors.reading_grant(request.user)
    except PermissionDenied as exc:
        return _forbidden(request, str(exc), what=what)


def _filters(request) -> tuple[EventFilterForm, selectors.EventFilters]:
    form = EventFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.EventFilters(**{k: v for k, v in data.items() if v not in (None, "")})


def events_index(request):
    grant = _grant_or_refuse(request, "events")
    if isinstance(grant, HttpResponse):
        return grant
    form, filters = _filters(request)
    try:
        before = int(request.GET["before"]) if request.GET.get("before") else None
    except ValueError:
        before = None
    rows, next_key = selectors.page_of(
        selectors.events_visible(grant=grant, filters=filters), before_seq=before, size=PAGE_SIZE
    )
    services.record(
        action="audit.log.viewed",
        obj=grant,
        filters=filters.as_dict(),
        before_seq=before,
        rows=len(rows),
    )
    query = request.GET.copy()
    query.pop("before", None)
    return TemplateResponse(
        request,
        "audit/events.html",
        {
            "page_title": _("审计日志"),
            "header_icon": "list-ul",
            "form": form,
            "rows": rows,
            "grant": grant,
            "next_key": next_key,
            "query": query.urlencode(),
        },
    )


def events_export(request):
    """The filtered view as xlsx (an export is an event)."""
    grant = _grant_or_refuse(request, "export")
    if isinstance(grant, HttpResponse):
        return grant
    _form, filters = _filters(request)
    qs = selectors.events_visible(grant=grant, filters=filters)[:EXPORT_LIMIT]
    workbook = SafeWorkbook()  # a user name like "=HYPERLINK(…)" stays text (issue 14 item 7)
    sheet = workbook.sheet(_("审计日志"))
    # 操作: the Chinese label from the catalogue; 操作代码: the name as recorded (and hashed).
    headers = (
        _("序号"),
        _("时间"),
        _("用户名"),
        _("来源IP"),
        _("操作"),
        _("操作代码"),
        _("对象类型"),
        _("对象ID"),
        _("对象"),
        _("结果"),
        _("请求ID"),
    )
    sheet.append([*headers, _("变更前"), _("变更后"), _("摘要")])
    count = 0
    for event in qs.iterator(chunk_size=2000):
        sheet.append(
            [
                event.seq,
                timezone.localtime(event.time).strftime("%Y-%m-%d %H:%M:%S"),
                event.actor_username,
                event.ip or "",
                event.action_label,
                event.action,
                event.object_type,
                event.object_id,
                event.object_repr,
                event.get_outcome_display(),
                event.request_id,
                "" if event.before is None else str(event.before),
                "" if event.after is None else str(event.after),
                event.hash,
            ]
        )
        count += 1
    services.record(
        action="audit.log.exported", obj=grant, filters=filters.as_dict(), rows=count, format="xlsx"
    )
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.xlsx"'
    workbook.save(response)
    return response


# --------------------------------------------------------------------------- grants


def grants_index(request):
    user = request.user
    auditor, security = selectors.is_audit_admin(user), selectors.is_security_admin(user)
    if not (auditor or security):
        return _forbidden(request, _("只有审计管理员和安全管理员可以访问此页面。"), what="grants")
    form = None
    if auditor:
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
                return redirect("audit_grants")
    grants = AuditAccessGrant.objects.select_related("grantee", "decided_by")
    if not security:
        grants = grants.filter(grantee=user)
    return TemplateResponse(
        request,
        "audit/grants.html",
        {
            "page_title": _("审计日志查阅授权"),
            "header_icon": "key",
            "form": form,
            "grants": grants[:200],
            "can_decide": security,
            "decision_form": GrantDecisionForm(),
            "grants_url": "audit_grants",
            "decide_url": "audit_grant_decide",
            "revoke_url": "audit_grant_revoke",
            "pending": GrantStatus.PENDING,
            "approved": GrantStatus.APPROVED,
            "now": timezone.now(),
        },
    )


@require_POST
def grant_decide(request, pk: int):
    # Refused before the form is read: an empty or invalid decision from someone
    # who may not decide is a refusal, not a form error (the access tests).
    if not selectors.is_security_admin(request.user):
        return _forbidden(request, _("只有安全管理员可以审批审计日志查阅申请。"), what="grant_decide")
    return decide_from_post(
        request,
        grant=get_object_or_404(AuditAccessGrant, pk=pk),
        decide=services.grant_decide,
        back="audit_grants",
        refuse=lambda message: _forbidden(request, message, what="grant_decide"),
    )


@require_POST
def grant_revoke(request, pk: int):
    return revoke_from_post(
        request,
        grant=get_object_or_404(AuditAccessGrant, pk=pk),
        revoke=services.grant_revoke,
        back="audit_grants",
        refuse=lambda message: _forbidden(request, message, what="grant_revoke"),
    )


# --------------------------------------------------------------------------- reviews (五(三))


def reviews(request):
    grant = _grant_or_refuse(request, "reviews")
    if isinstance(grant, HttpResponse):
        return grant
    start, end = selectors.default_review_period()
    form = ReviewForm(
        request.POST or None,
        initial={"period_start": timezone.localtime(start), "period_end": timezone.localtime(end)},
    )
    if request.method == "POST" and form.is_valid():
        period = (form.cleaned_data["period_start"], form.cleaned_data["period_end"])
        found = selectors.anomalies(grant=grant, since=period[0], until=period[1])
        services.review_record(
            actor=request.user,
            period_start=period[0],
            period_end=period[1],
            findings=form.cleaned_data["findings"],
            anomalies_seen=len(found["failed_logins"]) + len(found["off_hours"]),
        )
        messages.success(request, _("审查记录已保存。"))
        return redirect("audit_reviews")
    found = selectors.anomalies(grant=grant, since=start, until=end)
    services.record(action="audit.anomalies.viewed", obj=grant, since=start, until=end)
    return TemplateResponse(
        request,
        "audit/reviews.html",
        {
            "page_title": _("日志审查"),
            "header_icon": "search",
            "form": form,
            "failed_logins": found["failed_logins"],
            "off_hours": found["off_hours"],
            "reviews": AuditReview.objects.select_related("reviewer")[:50],
        },
    )
