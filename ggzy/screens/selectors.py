"""What the screens show, read from published notices only (网络设备管理制度 第九条:
the approval chain is the one road onto a screen). Each feed is one or two queries,
computed once for all screens."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.notices.models import (
    CandidatesNotice,
    PrequalificationNotice,
)
from ggzy.notices.selectors import bid_openings
from ggzy.portal.models import ColumnPage
from ggzy.portal.selectors import column_items

from .choices import Section

PUBLICITY_MODELS = (PrequalificationNotice, CandidatesNotice)
# 重要通知 (网站栏目信息发布分类 4): the column whose items the 通知 section shows.
NOTICE_COLUMN_SLUG = "zytz"
NOTICE_LIMIT = 10


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


def bid_openings_on(day: dt.date) -> list[Opening]:
    """Bid openings of ``day`` as the home page's 开标日程 reads them (time, or the deadline
    without one; a published 变更公告 moves them; the notice's 开标地点), in time order."""
    return [
        Opening(
            time=opening.at.strftime("%H:%M"),
            title=opening.notice.title,
            project_code=opening.notice.project_code,
            kind=str(opening.notice.kind_label),
            place=opening.room,
            changed=opening.changed,
        )
        for opening in bid_openings(first=day, last=day)
    ]


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
