"""Reads of trading announcements: column listings with filters, status for the API."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.models import Page, WorkflowState

from ggzy.portal.models import ArticlePage
from ggzy.portal.selectors import LISTED_FIELDS, NEWEST_FIRST, cached_while_rendering, column_items

from .choices import NoticeKind, NoticeStatus
from .models import NOTICE_MODELS, ProcurementChangeNotice


@dataclass
class NoticeListing:
    """A trading column's list with the visitor's filters (GET kind, date_from, date_to, project_code)."""

    kinds: list[tuple[str, str]]
    kind: str = ""
    project_code: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    errors: list[str] = field(default_factory=list)
    items: object = None
    # The filter form a trading column's page includes (ggzy.portal.listing_filters).
    template_name = "notices/includes/notice_filter.html"

    @property
    def active(self) -> bool:
        return bool(self.kind or self.project_code or self.date_from or self.date_to)


def _parse_date(value: str, label: str, errors: list[str]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.append(_("%(label)s格式应为YYYY-MM-DD。") % {"label": label})
        return None


def _column_kinds(column: Page) -> list[str]:
    """Kinds whose column is this column or below it (url_path is /<home>/jyxx/jsgc/...)."""
    below_home = "/".join(column.url_path.strip("/").split("/")[1:])
    if not below_home:
        return []
    return [
        kind
        for kind, model in NOTICE_MODELS.items()
        if model.column_path() == below_home or model.column_path().startswith(below_home + "/")
    ]


def notice_listing(*, column: Page, params) -> NoticeListing | None:
    """Published notices (and articles) below a trading column, newest first, with the
    visitor's filters (unfiltered: ``portal.selectors.column_items``); None for
    columns that hold no kind of notice. Filtered lists are served dynamically only."""
    kinds = _column_kinds(column)
    if not kinds:
        return None
    listing = NoticeListing(kinds=[(k, NoticeKind(k).label) for k in kinds])
    listing.kind = params.get("kind", "") if params.get("kind", "") in kinds else ""
    listing.project_code = (params.get("project_code") or "").strip()[:64]
    listing.date_from = _parse_date(params.get("date_from", ""), _("开始日期"), listing.errors)
    listing.date_to = _parse_date(params.get("date_to", ""), _("结束日期"), listing.errors)
    if not listing.active:
        # Unfiltered, the column lists what every column lists (one selector for the
        # dynamic page and the static build).
        listing.items = column_items(column=column)
        return listing

    dates = Q()
    if listing.date_from:
        dates &= Q(first_published_at__date__gte=listing.date_from)
    if listing.date_to:
        dates &= Q(first_published_at__date__lte=listing.date_to)

    ids: list[int] = []
    for kind in [listing.kind] if listing.kind else kinds:
        qs = NOTICE_MODELS[kind].objects.live().public().descendant_of(column).filter(dates)
        if listing.project_code:
            qs = qs.filter(project_code__icontains=listing.project_code)
        ids.extend(qs.values_list("pk", flat=True))
    if not (listing.kind or listing.project_code):
        ids.extend(
            ArticlePage.objects.live()
            .public()
            .descendant_of(column)
            .filter(dates)
            .values_list("pk", flat=True)
        )
    listing.items = Page.objects.filter(pk__in=ids).only(*LISTED_FIELDS).order_by(*NEWEST_FIRST)
    return listing


def change_notices_of(notice: Page):
    """Published change notices (变更公告) that change this notice."""

    # The static build renders every notice: one query for the whole site tells
    # which notices have a change notice at all (most have none).
    changed = cached_while_rendering(
        ("changed_notice_ids",),
        lambda: set(ProcurementChangeNotice.objects.live().values_list("changed_notice_id", flat=True)),
    )
    if changed is not None and notice.pk not in changed:
        return ProcurementChangeNotice.objects.none()
    return (
        ProcurementChangeNotice.objects.live()
        .public()
        .filter(changed_notice=notice)
        .order_by("first_published_at")
    )


def notice_status(page: Page) -> str:
    """draft / in review / published / rejected, for the intake API."""
    if page.live:
        return NoticeStatus.PUBLISHED
    state = WorkflowState.objects.for_instance(page).order_by("-created_at", "-pk").first()
    if state is None:
        return NoticeStatus.DRAFT
    if state.status == WorkflowState.STATUS_IN_PROGRESS:
        return NoticeStatus.IN_REVIEW
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return NoticeStatus.REJECTED
    return NoticeStatus.DRAFT
