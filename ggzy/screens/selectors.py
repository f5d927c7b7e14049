"""What the screens show, read from published notices only (网络设备管理制度 第九条:
the approval chain is the one road onto a screen). Each feed is one or two queries,
computed once for all screens."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from ggzy.notices.models import (
    CandidatesNotice,
    ConstructionTenderNotice,
    PrequalificationNotice,
    ProcurementChangeNotice,
    ProcurementTenderNotice,
)
from ggzy.portal.models import ColumnPage
from ggzy.portal.selectors import column_items

from .choices import Section

TENDER_MODELS = (ConstructionTenderNotice, ProcurementTenderNotice)
PUBLICITY_MODELS = (PrequalificationNotice, CandidatesNotice)
# 重要通知 (网站栏目信息发布分类 4): the column whose items the 通知 section shows.
NOTICE_COLUMN_SLUG = "zytz"
NOTICE_LIMIT = 10
# The place as the approved notice states it ("开标地点：焦作市公共资源交易中心第一开标室").
PLACE = re.compile(r"开标地点\s*[：:]\s*([^\n；;。，,]{2,60})")


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


@dataclass(frozen=True)
class Opening:
    time: str
    title: str
    project_code: str
    kind: str
    place: str
    changed: bool

    def as_dict(self) -> dict:
        return asdict(self)


def opening_place(notice) -> str:
    """The 开标地点 written in the notice's approved text, or ""."""
    match = PLACE.search(strip_tags(notice.body or "").replace("\xa0", " "))
    return match.group(1).strip() if match else ""


def bid_openings_on(day: dt.date) -> list[Opening]:
    """Bid openings of ``day`` (开标时间; a published 变更公告 that moves the opening or the
    deadline wins; without an opening time the bids open at the deadline, 招标投标法
    第三十四条), in time order."""
    start, end = day_bounds(day)
    in_day = Q(bid_opening__gte=start, bid_opening__lt=end) | Q(bid_deadline__gte=start, bid_deadline__lt=end)
    changes = ProcurementChangeNotice.objects.live().public()
    moved_here = set(changes.filter(in_day).values_list("changed_notice_id", flat=True))
    notices = []
    for model in TENDER_MODELS:
        notices += list(
            model.objects.live()
            .public()
            .filter(in_day | Q(pk__in=moved_here))
            .only(
                "id",
                "title",
                "url_path",
                "path",
                "depth",
                "project_code",
                "body",
                "bid_opening",
                "bid_deadline",
            )
        )
    moves: dict[int, list[tuple[dt.datetime | None, dt.datetime | None]]] = {}
    for changed_id, opening, deadline in (
        changes.filter(changed_notice_id__in=[n.pk for n in notices])
        .order_by("first_published_at", "pk")
        .values_list("changed_notice_id", "bid_opening", "bid_deadline")
    ):
        moves.setdefault(changed_id, []).append((opening, deadline))
    openings = []
    for notice in notices:
        when = notice.bid_opening or notice.bid_deadline
        for opening, deadline in moves.get(notice.pk, []):
            when = opening or deadline or when
        if when is None or not start <= when < end:
            continue
        openings.append(
            (
                when,
                notice.pk,
                Opening(
                    time=timezone.localtime(when).strftime("%H:%M"),
                    title=notice.title,
                    project_code=notice.project_code,
                    kind=str(notice.kind_label),
                    place=opening_place(notice),
                    changed=notice.pk in moves,
                ),
            )
        )
    return [opening for _when, _pk, opening in sorted(openings, key=lambda row: row[:2])]


def publicity_on(day: dt.date) -> list[dict]:
    """Notices in their statutory 公示 period on ``day`` (公示开始日期 … 公示结束日期)."""
    rows = []
    for model in PUBLICITY_MODELS:
        for notice in (
            model.objects.live()
            .public()
            .filter(publicity_start__lte=day, publicity_end__gte=day)
            .only(
                "id", "title", "url_path", "path", "depth", "project_code", "publicity_start", "publicity_end"
            )
        ):
            rows.append(
                (
                    notice.publicity_end,
                    notice.pk,
                    {
                        "title": notice.title,
                        "project_code": notice.project_code,
                        "kind": str(notice.kind_label),
                        "period": _("公示期：%(start)s 至 %(end)s")
                        % {
                            "start": notice.publicity_start.isoformat(),
                            "end": notice.publicity_end.isoformat(),
                        },
                        "days_left": (notice.publicity_end - day).days + 1,
                    },
                )
            )
    return [row for _end, _pk, row in sorted(rows, key=lambda r: r[:2])]


def notice_column() -> ColumnPage | None:
    return ColumnPage.objects.live().public().filter(slug=NOTICE_COLUMN_SLUG).order_by("depth").first()


def recent_notices(*, limit: int = NOTICE_LIMIT) -> list[dict]:
    """The newest published 重要通知 (titles and dates)."""
    column = notice_column()
    if column is None:
        return []
    return [
        {"title": page.title, "date": timezone.localtime(page.first_published_at).date().isoformat()}
        for page in column_items(column=column)[:limit]
        if page.first_published_at is not None
    ]


def feeds_on(day: dt.date) -> dict[str, list[dict]]:
    """Every section's rows for ``day``, once for all screens."""
    return {
        Section.OPENINGS: [o.as_dict() for o in bid_openings_on(day)],
        Section.PUBLICITY: publicity_on(day),
        Section.NOTICES: recent_notices(),
    }
