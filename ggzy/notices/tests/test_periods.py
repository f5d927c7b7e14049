"""Each statutory period on both sides of its limit, with 2026 holidays and 调休.

2026 calendar used (seeded from chinese-calendar): 中秋节 09-25..09-27, 国庆节
10-01..10-07 (holidays); 09-20 (Sunday) and 10-10 (Saturday) are 调休 working days.
"""

import pytest
import time_machine
from django.core.exceptions import ValidationError

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import make_user
from ggzy.notices.choices import NoticeKind as K
from ggzy.notices.periods import RULES, statutory_errors
from ggzy.notices.services import notice_submit
from ggzy.notices.tests.factories import add_notice, at, build_notice, d, publish_notice
from ggzy.publishing.tests.factories import approve

pytestmark = pytest.mark.django_db


def errors(kind, **fields):
    return statutory_errors(build_notice(kind, **fields))


def test_every_rule_has_an_id_citation_and_kinds():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids)) >= 7
    for rule in RULES:
        assert rule.citation and rule.kinds and (rule.minimum is None) != (rule.maximum is None)


# --------------------------------------------------------------------------- 候选人公示 >= 3 日


@pytest.mark.parametrize(
    ("start", "end", "ok", "earliest"),
    [
        ("2026-11-02", "2026-11-05", True, None),  # Mon + 3 = Thu
        ("2026-11-02", "2026-11-04", False, "2026-11-05"),
        # + 3 = Sat 11-07: the period ends on the next working day (民法典 第二百零三条)
        ("2026-11-04", "2026-11-07", False, "2026-11-09"),
        ("2026-11-04", "2026-11-09", True, None),
        # + 3 = 10-01 国庆节: runs to 10-08, the first working day after the holiday
        ("2026-09-28", "2026-10-07", False, "2026-10-08"),
        ("2026-09-28", "2026-10-08", True, None),
        # + 3 = Sat 10-10, a 调休 working day: the period ends that Saturday
        ("2026-10-07", "2026-10-10", True, None),
        ("2026-10-07", "2026-10-09", False, "2026-10-10"),
    ],
)
def test_candidates_publicity_at_least_three_days(start, end, ok, earliest):
    found = errors(K.CONSTRUCTION_CANDIDATES, publicity_start=d(start), publicity_end=d(end))
    if ok:
        assert found == {}
    else:
        (message,) = found["publicity_end"]
        assert "《招标投标法实施条例》第五十四条" in message and "不得少于3日" in message
        assert start in message and end in message
        assert f"最早应为{earliest}" in message


def test_candidates_publicity_is_refused_on_save():
    with pytest.raises(ValidationError) as caught:
        add_notice(K.CONSTRUCTION_CANDIDATES, publicity_start=d("2026-11-02"), publicity_end=d("2026-11-03"))
    assert "最早应为2026-11-05" in caught.value.message_dict["publicity_end"][0]


# --------------------------------------------------------------------------- documents -> deadline >= 20 日


@pytest.mark.parametrize("kind", [K.CONSTRUCTION_TENDER, K.PROCUREMENT_TENDER])
@pytest.mark.parametrize(
    ("pickup_start", "deadline", "ok", "earliest"),
    [
        # + 20 = Sun 11-22 -> Mon 11-23
        ("2026-11-02", "2026-11-23", True, None),
        ("2026-11-02", "2026-11-22", False, "2026-11-23"),
        # + 20 = 10-01 国庆节 -> 10-08
        ("2026-09-11", "2026-10-07", False, "2026-10-08"),
        ("2026-09-11", "2026-10-08", True, None),
    ],
)
def test_documents_to_bid_deadline_at_least_twenty_days(kind, pickup_start, deadline, ok, earliest):
    found = errors(
        kind,
        pickup_start=at(pickup_start),
        pickup_end=at("2026-11-12") if pickup_start.startswith("2026-11") else at("2026-09-21"),
        bid_deadline=at(deadline),
        bid_opening=None,
    )
    if ok:
        assert "bid_deadline" not in found
    else:
        (message,) = found["bid_deadline"]
        citation = "《招标投标法》第二十四条" if kind == K.CONSTRUCTION_TENDER else "《政府采购法》第三十五条"
        assert citation in message and "不得少于20日" in message
        assert f"最早应为{earliest}" in message and pickup_start in message


# --------------------------------------------------------------------------- pickup >= 5 日 / 5 个工作日


@pytest.mark.parametrize(
    ("start", "end", "ok", "earliest"),
    [
        ("2026-11-02", "2026-11-09", True, None),  # + 5 = Sat 11-07 -> Mon 11-09
        ("2026-11-02", "2026-11-07", False, "2026-11-09"),
        ("2026-11-03", "2026-11-09", True, None),  # + 5 = Sun 11-08 -> Mon 11-09
        ("2026-11-05", "2026-11-10", True, None),  # + 5 = Tue 11-10
        ("2026-11-05", "2026-11-09", False, "2026-11-10"),
    ],
)
def test_construction_document_sale_at_least_five_days(start, end, ok, earliest):
    found = errors(
        K.CONSTRUCTION_TENDER,
        pickup_start=at(start),
        pickup_end=at(end, "17:00"),
        bid_deadline=at("2026-12-31"),
    )
    if ok:
        assert found == {}
    else:
        (message,) = found["pickup_end"]
        assert "《招标投标法实施条例》第十六条" in message and f"最早应为{earliest}" in message


@pytest.mark.parametrize(
    ("start", "end", "ok", "earliest"),
    [
        ("2026-11-02", "2026-11-09", True, None),  # Mon + 5 working days = Mon 11-09
        ("2026-11-02", "2026-11-06", False, "2026-11-09"),
        # 09-29, 09-30, (国庆节), 10-08, 10-09, Sat 10-10 (调休): the fifth working day is the Saturday
        ("2026-09-28", "2026-10-09", False, "2026-10-10"),
        ("2026-09-28", "2026-10-10", True, None),
        # 09-18 Fri: Sun 09-20 (调休), 09-21, 09-22, 09-23, 09-24; 09-25..27 中秋节
        ("2026-09-18", "2026-09-24", True, None),
        ("2026-09-18", "2026-09-23", False, "2026-09-24"),
    ],
)
def test_procurement_documents_at_least_five_working_days(start, end, ok, earliest):
    found = errors(
        K.PROCUREMENT_TENDER,
        pickup_start=at(start),
        pickup_end=at(end, "17:00"),
        bid_deadline=at("2026-12-31"),
    )
    if ok:
        assert found == {}
    else:
        (message,) = found["pickup_end"]
        assert "财政部令第87号" in message and "5个工作日" in message
        assert f"最早应为{earliest}" in message


# ----------------------------------------------------------------- changes >= 15 日 before the deadline


@pytest.mark.parametrize(
    ("announced", "deadline", "ok", "earliest"),
    [
        ("2026-11-02", "2026-11-17", True, None),
        ("2026-11-02", "2026-11-16", False, "2026-11-17"),
        ("2026-09-16", "2026-10-07", False, "2026-10-08"),  # + 15 = 10-01 国庆节
        ("2026-09-16", "2026-10-08", True, None),
    ],
)
def test_change_at_least_fifteen_days_before_the_deadline(announced, deadline, ok, earliest):
    original = publish_notice(K.PROCUREMENT_TENDER)
    found = errors(
        K.PROCUREMENT_CHANGE,
        changed_notice=original.page_ptr,
        announced_at=at(announced),
        bid_deadline=at(deadline, "09:30"),
    )
    if ok:
        assert found == {}
    else:
        (message,) = found["bid_deadline"]
        assert "《招标投标法》第二十三条" in message and "至少15日前" in message
        assert f"公告发布日期为{announced}" in message and f"最早应为{earliest}" in message


# --------------------------------------------------------------------------- result within 2 个工作日


@pytest.mark.parametrize(
    ("award", "announced", "ok", "latest"),
    [
        ("2026-11-02", "2026-11-04", True, None),
        ("2026-11-02", "2026-11-05", False, "2026-11-04"),
        ("2026-11-05", "2026-11-09", True, None),  # Thu award: Fri, Mon
        ("2026-11-05", "2026-11-10", False, "2026-11-09"),
        ("2026-09-29", "2026-10-08", True, None),  # 09-30, (国庆节), 10-08
        ("2026-09-29", "2026-10-09", False, "2026-10-08"),
        ("2026-10-09", "2026-10-12", True, None),  # Sat 10-10 is a 调休 working day: 10-10, 10-12
        ("2026-10-09", "2026-10-13", False, "2026-10-12"),
    ],
)
def test_procurement_result_within_two_working_days(award, announced, ok, latest):
    found = errors(K.PROCUREMENT_RESULT, award_date=d(award), announced_at=at(announced))
    if ok:
        assert found == {}
    else:
        (message,) = found["award_date"]
        assert "《政府采购法实施条例》第四十三条" in message and "2个工作日内" in message
        assert f"最晚应为{latest}" in message and award in message


# --------------------------------------------------------------------------- when the rules are checked


def test_checked_again_on_submission():
    drafter = make_user(R.DRAFTER, department="caigou")
    with time_machine.travel(at("2026-11-02", "10:00")):
        notice = add_notice(K.PROCUREMENT_RESULT, drafter=drafter, award_date=d("2026-11-02"))
    with (
        time_machine.travel(at("2026-11-05", "10:00")),
        pytest.raises(ValidationError, match="最晚应为2026-11-04"),
    ):
        notice_submit(notice=notice, actor=drafter)
    assert notice.current_workflow_state is None


def test_checked_again_on_publication():
    drafter = make_user(R.DRAFTER, department="caigou")
    head = make_user(R.DEPARTMENT_HEAD, department="caigou")
    group = make_user(R.REVIEW_GROUP, department="zonghe")
    publisher = make_user(R.PUBLISHER, department="xinxi")
    with time_machine.travel(at("2026-11-02", "10:00")):
        notice = add_notice(K.PROCUREMENT_RESULT, drafter=drafter, award_date=d("2026-11-02"))
        notice_submit(notice=notice, actor=drafter)
        approve(type(notice).objects.get(pk=notice.pk), head)
        approve(type(notice).objects.get(pk=notice.pk), group)  # 审核制度 (四)
    # The publisher acts three working days after the award: too late to publish.
    with time_machine.travel(at("2026-11-05", "10:00")), pytest.raises(ValidationError, match="第四十三条"):
        approve(type(notice).objects.get(pk=notice.pk), publisher)
    assert not type(notice).objects.get(pk=notice.pk).live


def test_a_year_without_calendar_data_is_flagged_in_the_message():
    found = errors(K.CONSTRUCTION_CANDIDATES, publicity_start=d("2031-03-03"), publicity_end=d("2031-03-04"))
    assert "2031年的法定节假日安排尚未录入" in found["publicity_end"][0]


# --------------------------------------------------------------------------- land and property


@pytest.mark.parametrize(
    ("announced", "listing_start", "ok", "earliest"),
    [
        ("2026-11-02", "2026-11-23", True, None),  # + 20 = Sun 11-22 -> Mon 11-23
        ("2026-11-02", "2026-11-22", False, "2026-11-23"),
        ("2026-09-11", "2026-10-08", True, None),  # + 20 = 10-01 国庆节 -> 10-08
        ("2026-09-11", "2026-10-01", False, "2026-10-08"),
    ],
)
def test_land_grant_notice_at_least_twenty_days_before_listing(announced, listing_start, ok, earliest):
    found = errors(
        K.LAND_GRANT, announced_at=at(announced), listing_start=d(listing_start), listing_end=d("2026-12-31")
    )
    if ok:
        assert found == {}
    else:
        (message,) = found["listing_start"]
        assert "国土资源部令第39号" in message and f"最早应为{earliest}" in message


@pytest.mark.parametrize(
    ("start", "end", "ok", "earliest"),
    [
        ("2026-11-02", "2026-11-30", True, None),  # the 20th working day after Mon 11-02
        ("2026-11-02", "2026-11-27", False, "2026-11-30"),
        # 09-28 Mon: 09-29, 09-30, (国庆节), 10-08, 10-09, Sat 10-10 (调休), 10-12.. -> 10-30
        ("2026-09-28", "2026-10-30", True, None),
        ("2026-09-28", "2026-10-29", False, "2026-10-30"),
    ],
)
def test_property_transfer_disclosure_at_least_twenty_working_days(start, end, ok, earliest):
    found = errors(K.PROPERTY_TRANSFER, listing_start=d(start), listing_end=d(end))
    if ok:
        assert found == {}
    else:
        (message,) = found["listing_end"]
        assert "第32号" in message and "20个工作日" in message and f"最早应为{earliest}" in message
