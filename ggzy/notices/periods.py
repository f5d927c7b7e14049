"""Statutory periods of trading announcements, as one declarative table.

Each rule says: between the date in ``start`` and the date in ``end`` there
must be at least (``minimum``) or at most (``maximum``) so many calendar days
or working days. A new rule is one more row in ``RULES``.

Counting follows 民法典:
- 第二百零一条: a period in days starts on the day after the start day (the
  start day itself is not counted);
- 第二百零三条: when the last day of a period is a statutory holiday (or a rest
  day), the period ends on the next working day.
Working days come from ggzy.core.calendar (statutory holidays and 调休 make-up
days in the database); a year without recorded data is flagged with a warning.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ggzy.core.calendar import Calendar, add_working_days, load_calendar

from .choices import NoticeKind as K

CALENDAR_DAYS = "calendar"
WORKING_DAYS = "working"
UNIT_LABELS = {CALENDAR_DAYS: _("日"), WORKING_DAYS: _("个工作日")}

# A virtual field: the notice's publication date (the real one once live, else
# the planned 公告发布时间, else today).
PUBLICATION = "publication_date"


@dataclass(frozen=True)
class PeriodRule:
    id: str
    name: str
    citation: str
    kinds: frozenset[str]
    start: str
    end: str
    minimum: int | None = None
    maximum: int | None = None
    unit: str = CALENDAR_DAYS
    # Placeholders: %(name)s %(citation)s %(start_label)s %(start)s %(end_label)s %(end)s %(limit)s
    message: str = _(
        "不符合“%(name)s”（%(citation)s）：%(start_label)s为%(start)s，%(end_label)s为%(end)s，"
        "%(end_label)s最早应为%(limit)s。"
    )

    @property
    def error_field(self) -> str:
        """The field a violation is reported on (never the virtual publication date)."""
        return self.start if self.end == PUBLICATION else self.end


LATEST = _(
    "不符合“%(name)s”（%(citation)s）：%(start_label)s为%(start)s，%(end_label)s为%(end)s，"
    "%(end_label)s最晚应为%(limit)s。"
)

RULES: tuple[PeriodRule, ...] = (
    PeriodRule(
        id="candidates_publicity",
        name=_("中标候选人公示期不得少于3日"),
        citation=_("《招标投标法实施条例》第五十四条"),
        kinds=frozenset({K.CONSTRUCTION_CANDIDATES}),
        start="publicity_start",
        end="publicity_end",
        minimum=3,
    ),
    PeriodRule(
        id="tender_documents_to_deadline",
        name=_("自招标文件开始发出之日起至提交投标文件截止之日止不得少于20日"),
        citation=_("《招标投标法》第二十四条"),
        kinds=frozenset({K.CONSTRUCTION_TENDER}),
        start="pickup_start",
        end="bid_deadline",
        minimum=20,
    ),
    PeriodRule(
        id="procurement_documents_to_deadline",
        name=_("自招标文件开始发出之日起至投标人提交投标文件截止之日止不得少于20日"),
        citation=_("《政府采购法》第三十五条"),
        kinds=frozenset({K.PROCUREMENT_TENDER}),
        start="pickup_start",
        end="bid_deadline",
        minimum=20,
    ),
    PeriodRule(
        id="tender_documents_pickup",
        name=_("招标文件发售期不得少于5日"),
        citation=_("《招标投标法实施条例》第十六条"),
        kinds=frozenset({K.CONSTRUCTION_TENDER}),
        start="pickup_start",
        end="pickup_end",
        minimum=5,
    ),
    PeriodRule(
        id="procurement_documents_pickup",
        name=_("招标文件提供期限不得少于5个工作日"),
        citation=_("《政府采购货物和服务招标投标管理办法》（财政部令第87号）第十八条"),
        kinds=frozenset({K.PROCUREMENT_TENDER}),
        start="pickup_start",
        end="pickup_end",
        minimum=5,
        unit=WORKING_DAYS,
    ),
    PeriodRule(
        id="change_before_deadline",
        name=_("澄清或者修改应在投标截止时间至少15日前发出"),
        citation=_("《招标投标法》第二十三条；财政部令第87号 第二十七条"),
        kinds=frozenset({K.PROCUREMENT_CHANGE}),
        start=PUBLICATION,
        end="bid_deadline",
        minimum=15,
    ),
    PeriodRule(
        id="land_grant_notice_before_listing",
        name=_("出让公告应至少在挂牌开始日前20日发布"),
        citation=_("《招标拍卖挂牌出让国有建设用地使用权规定》（国土资源部令第39号）第十条"),
        kinds=frozenset({K.LAND_GRANT}),
        start=PUBLICATION,
        end="listing_start",
        minimum=20,
    ),
    PeriodRule(
        id="property_transfer_disclosure",
        name=_("产权转让信息正式披露时间不得少于20个工作日"),
        citation=_("《企业国有资产交易监督管理办法》（国资委 财政部令第32号）第十三条"),
        kinds=frozenset({K.PROPERTY_TRANSFER}),
        start="listing_start",
        end="listing_end",
        minimum=20,
        unit=WORKING_DAYS,
    ),
    PeriodRule(
        id="procurement_result_announcement",
        name=_("应自中标、成交供应商确定之日起2个工作日内公告中标、成交结果"),
        citation=_("《政府采购法实施条例》第四十三条"),
        kinds=frozenset({K.PROCUREMENT_RESULT}),
        start="award_date",
        end=PUBLICATION,
        maximum=2,
        unit=WORKING_DAYS,
        message=LATEST,
    ),
)


# --------------------------------------------------------------------------- counting


def period_end(start: dt.date, days: int, unit: str, *, calendar: Calendar) -> tuple[dt.date, str]:
    """The last day of a period of ``days`` from ``start`` (民法典 第二百零一条/第二百零三条),
    with the calendar's warning for years without data."""
    if unit == WORKING_DAYS:
        result = add_working_days(start, days, calendar=calendar)
        return result.date, result.warning
    # 第二百零一条: the start day is not counted.
    last = start + dt.timedelta(days=days)
    # 第二百零三条: a last day that is a holiday moves to the next working day.
    result = add_working_days(last, 0, calendar=calendar)
    return result.date, result.warning


def _as_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _label(notice, field: str) -> str:
    if field == PUBLICATION:
        return str(_("公告发布日期"))
    return str(type(notice)._meta.get_field(field).verbose_name)


def rule_violation(rule: PeriodRule, notice, *, calendar: Calendar) -> str | None:
    """The Chinese message for a violated rule, or None."""
    start = _as_date(getattr(notice, rule.start, None))
    end = _as_date(getattr(notice, rule.end, None))
    if start is None or end is None:
        return None
    if rule.minimum is not None:
        limit, warning = period_end(start, rule.minimum, rule.unit, calendar=calendar)
        violated = end < limit
    else:
        limit, warning = period_end(start, rule.maximum, rule.unit, calendar=calendar)
        violated = end > limit
    if not violated:
        return None
    message = rule.message % {
        "name": rule.name,
        "citation": rule.citation,
        "start_label": _label(notice, rule.start),
        "start": start.isoformat(),
        "end_label": _label(notice, rule.end),
        "end": end.isoformat(),
        "limit": limit.isoformat(),
    }
    return f"{message}{warning}"


def rules_for(kind: str) -> Iterable[PeriodRule]:
    return (rule for rule in RULES if kind in rule.kinds)


def statutory_errors(notice, *, calendar: Calendar | None = None) -> dict[str, list[str]]:
    """Every violated rule of the notice's kind, keyed by the field to report it on."""
    calendar = calendar or load_calendar()
    errors: dict[str, list[str]] = {}
    for rule in rules_for(notice.kind):
        message = rule_violation(rule, notice, calendar=calendar)
        if message:
            errors.setdefault(rule.error_field, []).append(message)
    return errors


def check_statutory_periods(notice) -> None:
    """Raise a ValidationError naming every violated rule (on save, submission and publication)."""
    errors = statutory_errors(notice)
    if errors:
        raise ValidationError(errors)
