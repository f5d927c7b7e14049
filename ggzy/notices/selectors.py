"""Reads of trading announcements: column listings with filters, status for the API."""

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.models import Page, WorkflowState

from ggzy.core.calendar import load_calendar
from ggzy.portal.choices import enum_label
from ggzy.portal.home_blocks import HomeBlock, ListDetail
from ggzy.portal.models import ArticlePage, ColumnPage, HomePage
from ggzy.portal.selectors import (
    LISTED_FIELDS,
    NEWEST_FIRST,
    cached_while_rendering,
    column_items,
    listing_pages,
    newest_head,
    subtree_q,
)

from .choices import KIND_COLUMNS, KIND_ORDER, KIND_STAGES, NoticeKind, NoticeStatus, Stage, TradeType
from .models import (
    NOTICE_MODELS,
    ConstructionTenderNotice,
    NoticePage,
    ProcurementChangeNotice,
    ProcurementTenderNotice,
)

logger = logging.getLogger(__name__)


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


# --------------------------------------------------------------------------- home: 交易信息

TRADING_SLUG = "jyxx"
TAB_ITEMS = 8  # newest items per trading type and stage


@dataclass
class StageTab:
    stage: str
    label: str
    columns: list[ColumnPage]
    items: list[Page]

    @property
    def url(self) -> str:
        return self.columns[0].url if self.columns else ""


@dataclass
class TradeTab:
    trade_type: str
    label: str
    column: ColumnPage | None
    stages: list[StageTab]


def _columns_by_path(home: Page) -> dict[str, ColumnPage]:
    """The live trading columns below the home page, by their path below it (jyxx/jsgc/zbgg)."""
    prefix = home.url_path
    columns = ColumnPage.objects.live().public().filter(subtree_q(home.path), url_path__startswith=prefix)
    return {c.url_path[len(prefix) :].strip("/"): c for c in columns.filter(url_path__contains="/jyxx/")}


def trading_tabs(*, home: Page, per_tab: int = TAB_ITEMS) -> list[TradeTab]:
    """交易信息 by trading type and stage (公告, 变更, 公示/结果), the newest items of
    each with their dates: one query per tab through the newest-pages probe. Tabs
    with nothing published are left out (and so is a trading type with none)."""
    columns = _columns_by_path(home)
    tabs = []
    for trade in TradeType:
        stages = []
        for stage in Stage:
            paths = list(
                dict.fromkeys(
                    KIND_COLUMNS[kind]
                    for kind, kind_stage in KIND_STAGES.items()
                    if kind_stage == stage and kind.startswith(trade.value + ".")
                )
            )
            stage_columns = [columns[p] for p in paths if p in columns]
            if not stage_columns:
                continue
            where = Q()
            for c in stage_columns:
                where |= subtree_q(c.path)
            items = (
                listing_pages()
                .not_type(ColumnPage, HomePage)
                .filter(where)
                .order_by(*NEWEST_FIRST)
                .only(*LISTED_FIELDS)
            )
            rows = newest_head(items, per_tab)
            if rows:
                stages.append(StageTab(stage.value, enum_label(Stage, stage.value), stage_columns, rows))
        if stages:
            trade_column = columns.get(
                KIND_COLUMNS[next(k for k in NoticeKind if k.startswith(trade.value))].rsplit("/", 1)[0]
            )
            tabs.append(TradeTab(trade.value, enum_label(TradeType, trade.value), trade_column, stages))
    return tabs


# --------------------------------------------------------------------------- home: 开标日程

SCHEDULE_WORKING_DAYS = 3  # after today


@dataclass
class Opening:
    at: dt.datetime  # local time
    notice: NoticePage
    room: str
    changed: bool  # moved by a 变更公告


@dataclass
class ScheduleDay:
    day: dt.date
    is_today: bool
    openings: list[Opening]


@dataclass
class BidSchedule:
    days: list[ScheduleDay]
    warning: str = ""  # a year of the working calendar not recorded

    @property
    def empty(self) -> bool:
        return not any(d.openings for d in self.days)


def schedule_days(today: dt.date, working_days: int = SCHEDULE_WORKING_DAYS) -> tuple[list[dt.date], str]:
    """Today and the next ``working_days`` working days (工作日历: statutory holidays
    and 调休). A year without a recorded arrangement counts Monday–Friday and is
    returned as a warning, never an error."""
    calendar = load_calendar()
    days, day = [today], today
    while len(days) <= working_days:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            days.append(day)
    warning = ""
    if calendar.missing:
        years = "、".join(str(y) for y in sorted(calendar.missing))
        warning = _("%(years)s年的法定节假日安排尚未录入，开标日程按周一至周五排列。") % {"years": years}
        logger.warning("bid schedule: no working calendar for %s", years)
    return days, warning


# The place as a notice's approved text states it ("开标地点：焦作市公共资源交易中心第一开标室"),
# for notices whose 开标地点 field is empty (written before the field, or typed in the text).
PLACE_IN_TEXT = re.compile(r"开标地点\s*[：:]\s*([^\n；;。，,]{2,60})")


def place_in_text(body: str) -> str:
    """The 开标地点 written in a notice's text, or ""."""
    match = PLACE_IN_TEXT.search(strip_tags(body or "").replace("\xa0", " "))
    return match.group(1).strip() if match else ""


def bid_openings(*, first: dt.date, last: dt.date) -> list[Opening]:
    """Published tenders opening between ``first`` and ``last`` (local days), in time
    order — the one reading of 开标 for the home page's 开标日程 and the hall's screens.
    The bids open at the 开标时间, or at the deadline when the notice gives none (招标投标法
    第三十四条: 开标应当在提交投标文件截止时间的同一时间公开进行); a published 变更公告 that
    moves the opening or the deadline wins (the newest last), and its 开标地点 too. The
    place is the notice's 开标地点, else what its text states. Four queries, whatever the
    number of notices."""
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    in_range = Q(bid_opening__gte=start, bid_opening__lt=end) | Q(
        bid_deadline__gte=start, bid_deadline__lt=end
    )
    changes = ProcurementChangeNotice.objects.live().public()
    moved_here = set(changes.filter(in_range).values_list("changed_notice_id", flat=True))
    notices: list[NoticePage] = []
    for model in (ConstructionTenderNotice, ProcurementTenderNotice):
        notices += list(model.objects.live().public().filter(in_range | Q(pk__in=moved_here)))
    moves: dict[int, list[tuple]] = {}
    for changed_id, opening, deadline, room in (
        changes.filter(changed_notice_id__in=[n.pk for n in notices])
        .order_by("first_published_at", "pk")
        .values_list("changed_notice_id", "bid_opening", "bid_deadline", "bid_opening_room")
    ):
        moves.setdefault(changed_id, []).append((opening, deadline, room))
    openings = []
    for notice in notices:
        at = notice.bid_opening or notice.bid_deadline
        room = notice.bid_opening_room
        for opening, deadline, new_room in moves.get(notice.pk, []):
            at = opening or deadline or at
            room = new_room or room
        if at is None or not start <= at < end:
            continue
        room = room or place_in_text(notice.body)
        openings.append(Opening(timezone.localtime(at), notice, room, notice.pk in moves))
    return sorted(openings, key=lambda o: (o.at, o.room, o.notice.pk))


def bid_schedule(*, today: dt.date | None = None) -> BidSchedule:
    """开标日程: today and the next working days, each with its openings in time order."""
    today = today or timezone.localdate()
    days, warning = schedule_days(today)
    by_day: dict[dt.date, list[Opening]] = {d: [] for d in days}
    for opening in bid_openings(first=days[0], last=days[-1]):
        if opening.at.date() in by_day:
            by_day[opening.at.date()].append(opening)
    return BidSchedule([ScheduleDay(d, d == today, by_day[d]) for d in days], warning)


def home_blocks(*, home: Page) -> list[HomeBlock]:
    """The home page's 交易信息 (tabs by trading type and stage, in place of the
    plain 交易信息 section) and 开标日程."""
    tabs = trading_tabs(home=home)
    trading = _columns_by_path(home).get(TRADING_SLUG)
    blocks = []
    if tabs:
        blocks.append(
            HomeBlock(
                "notices/includes/home_trading.html",
                {"tabs": tabs, "column": trading},
                order=10,
                replaces=(TRADING_SLUG,),
            )
        )
    blocks.append(HomeBlock("notices/includes/home_schedule.html", {"schedule": bid_schedule()}, order=20))
    return blocks


# --------------------------------------------------------------------------- lists: 项目编号, deadline

# The deadline a list shows for each kind: the one a bidder acts on.
LIST_DEADLINES = {
    NoticeKind.CONSTRUCTION_TENDER: "bid_deadline",
    NoticeKind.PROCUREMENT_TENDER: "bid_deadline",
    NoticeKind.PROCUREMENT_CHANGE: "bid_deadline",
    NoticeKind.CONSTRUCTION_PREQUALIFICATION: "publicity_end",
    NoticeKind.CONSTRUCTION_CANDIDATES: "publicity_end",
    NoticeKind.PROPERTY_TRANSFER: "listing_end",
    NoticeKind.LAND_GRANT: "listing_end",
}


def _content_types() -> dict[int, type[NoticePage]]:
    types = ContentType.objects.get_for_models(*NOTICE_MODELS.values())
    return {ct.pk: model for model, ct in types.items()}


def notice_list_details(*, items) -> dict[int, ListDetail]:
    """项目编号 and the deadline of the notices among listed items: one query per
    kind of notice on the list (a trading column holds one or two), none elsewhere."""
    models = cached_while_rendering(("notice_content_types",), _content_types) or _content_types()
    wanted: dict[type, list[int]] = {}
    for item in items:
        model = models.get(getattr(item, "content_type_id", None))
        if model is not None:
            wanted.setdefault(model, []).append(item.pk)
    details = {}
    for model, ids in wanted.items():
        deadline = LIST_DEADLINES.get(model.kind)
        fields = ["pk", "project_code", *([deadline] if deadline else [])]
        for row in model.objects.filter(pk__in=ids).values(*fields):
            value = row.get(deadline) if deadline else None
            label, text = "", ""
            if value is not None:
                label = str(model._meta.get_field(deadline).verbose_name)
                if isinstance(value, dt.datetime):
                    text = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
                else:
                    text = value.isoformat()
            details[row["pk"]] = ListDetail(code=row["project_code"], deadline_label=label, deadline=text)
    return details


# --------------------------------------------------------------------------- project view


def project_notices(code: str) -> list[NoticePage]:
    """Every published notice of one project code, in the project's order: 公告 →
    变更 → 资格预审/候选人公示 → 结果, by publication within each. One query per kind."""
    return projects_notices([code])[code]


def projects_notices(codes: Iterable[str]) -> dict[str, list[NoticePage]]:
    """``project_notices`` of many codes at once (the static build's batches): one query
    per kind for the whole batch, not per code."""
    found: dict[str, list[NoticePage]] = {code: [] for code in codes}
    for model in NOTICE_MODELS.values():
        for notice in model.objects.live().public().filter(project_code__in=list(found)):
            found[notice.project_code].append(notice)
    now = timezone.now()
    for notices in found.values():
        notices.sort(key=lambda n: (KIND_ORDER[n.kind], n.first_published_at or now, n.pk))
    return found


def project_codes() -> list[str]:
    """Every project code with a published notice (the static build writes one page each)."""
    codes: set[str] = set()
    for model in NOTICE_MODELS.values():
        codes.update(model.objects.live().public().values_list("project_code", flat=True).distinct())
    return sorted(codes)
