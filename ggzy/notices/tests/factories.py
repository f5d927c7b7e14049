"""Notices with valid defaults (2026 dates, a correct 统一社会信用代码)."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from ggzy.notices.choices import KIND_COLUMNS, NoticeKind
from ggzy.notices.models import NOTICE_MODELS, Candidate
from ggzy.notices.validators import credit_code_check_character
from ggzy.portal.tests.factories import column

_counter = itertools.count(1)

# 焦作市某单位 (fictitious): 9 (organ) 1 (enterprise) 410800 (焦作市) + body.
CREDIT_CODE_BODY = "91410800MA44KJ7X3"
CREDIT_CODE = CREDIT_CODE_BODY + credit_code_check_character(CREDIT_CODE_BODY)


def at(day: str, time: str = "09:00") -> dt.datetime:
    """An aware datetime in the center's time zone."""
    return timezone.make_aware(dt.datetime.fromisoformat(f"{day}T{time}"))


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


CORE = {
    "project_name": "焦作市某道路改造工程",
    "owner_name": "焦作市某局",
    "owner_credit_code": CREDIT_CODE,
    "agency_name": "某招标代理有限公司",
    "contact": "张先生 0391-1234567",
    "body": "<p>公告正文</p>",
}

KIND_FIELDS = {
    NoticeKind.CONSTRUCTION_TENDER: {
        "pickup_start": at("2026-11-02"),
        "pickup_end": at("2026-11-09", "17:00"),
        "bid_deadline": at("2026-11-23"),
        "bid_opening": at("2026-11-23"),
        "budget": Decimal("1250.50"),
    },
    NoticeKind.CONSTRUCTION_PREQUALIFICATION: {
        "control_price": Decimal("980.00"),
        "publicity_start": d("2026-11-02"),
        "publicity_end": d("2026-11-05"),
    },
    NoticeKind.CONSTRUCTION_CANDIDATES: {
        "publicity_start": d("2026-11-02"),
        "publicity_end": d("2026-11-05"),
        "objection_method": "公示期内以书面形式向招标人提出异议。",
    },
    NoticeKind.CONSTRUCTION_RESULT: {
        "winner_name": "某建设集团有限公司",
        "award_amount": Decimal("1180.00"),
        "award_date": d("2026-11-10"),
    },
    NoticeKind.PROCUREMENT_TENDER: {
        "pickup_start": at("2026-11-02"),
        "pickup_end": at("2026-11-09", "17:00"),
        "bid_deadline": at("2026-11-23"),
        "budget": Decimal("300.00"),
    },
    NoticeKind.PROCUREMENT_RESULT: {
        "winner_name": "某科技有限公司",
        "award_amount": Decimal("288.00"),
    },
    NoticeKind.PROPERTY_TRANSFER: {
        "subject_name": "某公司100%股权",
        "starting_price": Decimal("500.00"),
        "listing_start": d("2026-11-02"),
        "listing_end": d("2026-11-30"),
    },
    NoticeKind.PROPERTY_RESULT: {
        "subject_name": "某公司100%股权",
        "transaction_price": Decimal("520.00"),
        "transferee": "某投资有限公司",
        "transaction_date": d("2026-12-01"),
    },
    NoticeKind.LAND_GRANT: {
        "subject_name": "焦国土2026-18号",
        "location": "焦作市山阳区",
        "area": Decimal("12345.67"),
        "land_use": "住宅用地",
        "starting_price": Decimal("3000.00"),
        "deposit": Decimal("600.00"),
    },
    NoticeKind.LAND_RESULT: {
        "subject_name": "焦国土2026-18号",
        "transaction_price": Decimal("3100.00"),
        "transferee": "某置业有限公司",
        "transaction_date": d("2026-11-17"),
    },
}


def build_notice(kind: str, **fields):
    """An unsaved notice of the kind with valid defaults, overridden by ``fields``."""
    n = next(_counter)
    model = NOTICE_MODELS[kind]
    values = {
        "title": f"{NoticeKind(kind).label}{n}",
        "project_code": f"JZ2026-{n:04d}",
        **CORE,
        **KIND_FIELDS.get(kind, {}),
        **fields,
    }
    today = timezone.localdate()
    if kind == NoticeKind.PROCUREMENT_RESULT:
        # 政府采购法实施条例 第四十三条: published within 2 working days of the award.
        values.setdefault("award_date", today)
    if kind == NoticeKind.LAND_GRANT:
        # 国土资源部令第39号 第十条: published at least 20 days before the listing starts.
        values.setdefault("listing_start", today + dt.timedelta(days=30))
        values.setdefault("listing_end", today + dt.timedelta(days=45))
    if kind == NoticeKind.PROCUREMENT_CHANGE:
        # 15 days before the deadline (财政部令第87号 第二十七条).
        values.setdefault("bid_deadline", timezone.now() + dt.timedelta(days=30))
        values.setdefault("change_summary", "投标截止时间顺延。")
    return model(**values)


def add_notice(kind: str, *, drafter=None, candidates=None, **fields):
    """A draft notice saved under its column (a revision by ``drafter``)."""
    notice = build_notice(kind, live=False, owner=drafter, **fields)
    if kind == NoticeKind.CONSTRUCTION_CANDIDATES:
        rows = candidates or [
            {"rank": 1, "name": "甲建设有限公司", "price": Decimal("11800000"), "project_lead": "王工"},
            {"rank": 2, "name": "乙建设有限公司", "price": Decimal("11900000"), "project_lead": "赵工"},
        ]
        notice.candidates = [Candidate(**row) for row in rows]
    column(KIND_COLUMNS[kind]).add_child(instance=notice)
    notice.save_revision(user=drafter)
    return notice


def publish_notice(kind: str, **fields):
    """A live notice (straight publish, as the portal tests do for articles)."""
    notice = add_notice(kind, **fields)
    notice.get_latest_revision().publish()
    notice.refresh_from_db()
    return notice
