"""Scheduling, refusals, the urgent-reason exception, changes and cancellation, audited."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.suspensions.selectors import visible_notices
from ggzy.suspensions.services import suspension_cancel, suspension_change

from .factories import at, schedule_notice, website_admin

pytestmark = pytest.mark.django_db

TUESDAY = at(2026, 11, 24, 10)  # Wed 25, Thu 26, Fri 27 are three working days before Mon 30


def errors(exc: ValidationError) -> dict:
    return {k: " ".join(v) for k, v in exc.message_dict.items()}


def test_scheduling_in_time_is_recorded_in_the_audit_chain():
    admin = website_admin()
    with time_machine.travel(TUESDAY, tick=False):
        notice = schedule_notice(starts_at=at(2026, 11, 30, 8), ends_at=at(2026, 11, 30, 18), actor=admin)
    assert notice.display_from == at(2026, 11, 25) and notice.urgent_reason == ""
    event = AuditEvent.objects.get(action="suspensions.notice.scheduled")
    assert event.actor_username == admin.username and event.object_id == str(notice.pk)
    assert event.extra["short_notice"] is False and event.extra["working_days"] == 3
    assert event.after["title"] == notice.title


def test_fewer_than_n_working_days_is_refused_without_an_urgent_reason():
    with time_machine.travel(at(2026, 11, 25, 10), tick=False):  # Wednesday: only Thu, Fri remain
        with pytest.raises(ValidationError) as exc:
            schedule_notice(starts_at=at(2026, 11, 30, 8), ends_at=at(2026, 11, 30, 18))
        message = errors(exc.value)["urgent_reason"]
        assert "距暂停开始不足3个工作日" in message and "2026-11-25" in message
        notice = schedule_notice(
            starts_at=at(2026, 11, 30, 8),
            ends_at=at(2026, 11, 30, 18),
            urgent_reason="  机房空调故障，须紧急检修  ",
        )
    assert notice.urgent_reason == "机房空调故障，须紧急检修"
    event = AuditEvent.objects.get(action="suspensions.notice.scheduled")
    assert event.extra["short_notice"] is True and event.after["urgent_reason"] == "机房空调故障，须紧急检修"


def test_bad_windows_and_overlaps_are_clear_chinese_errors():
    with time_machine.travel(TUESDAY, tick=False):
        with pytest.raises(ValidationError) as exc:
            schedule_notice(starts_at=at(2026, 12, 10, 18), ends_at=at(2026, 12, 10, 8))
        assert "恢复服务时间必须晚于暂停开始时间" in errors(exc.value)["ends_at"]
        with pytest.raises(ValidationError) as exc:
            schedule_notice(starts_at=at(2026, 11, 20, 8), ends_at=at(2026, 11, 21, 8), urgent_reason="补记")
        assert "恢复服务时间已过" in errors(exc.value)["ends_at"]
        first = schedule_notice(
            starts_at=at(2026, 12, 10, 8), ends_at=at(2026, 12, 10, 18), title="机房断电检修"
        )
        with pytest.raises(ValidationError) as exc:
            schedule_notice(starts_at=at(2026, 12, 10, 12), ends_at=at(2026, 12, 11, 8))
        assert (
            "与已安排的暂停通知“机房断电检修”（2026-12-10 08:00 至 2026-12-10 18:00）时间重叠"
            in (errors(exc.value)["starts_at"])
        )
        # Back to back is no overlap; a cancelled notice no longer blocks.
        schedule_notice(starts_at=at(2026, 12, 10, 18), ends_at=at(2026, 12, 11, 8))
        suspension_cancel(notice=first, reason="改期", actor=website_admin())
        schedule_notice(starts_at=at(2026, 12, 10, 8), ends_at=at(2026, 12, 10, 12))


@pytest.mark.parametrize(
    "role",
    [RoleKey.PUBLISHER, RoleKey.SYSTEM_ADMIN, RoleKey.SECURITY_ADMIN, RoleKey.DRAFTER, RoleKey.REVIEW_GROUP],
)
def test_only_the_website_admin_may_schedule(role):
    with time_machine.travel(TUESDAY, tick=False), pytest.raises(PermissionDenied):
        schedule_notice(starts_at=at(2026, 12, 10, 8), ends_at=at(2026, 12, 10, 18), actor=make_user(role))


def test_change_is_audited_with_before_and_after_and_rechecks_the_lead():
    admin = website_admin()
    with time_machine.travel(TUESDAY, tick=False):
        notice = schedule_notice(starts_at=at(2026, 12, 10, 8), ends_at=at(2026, 12, 10, 18), actor=admin)
        notice = suspension_change(notice=notice, data={"title": "新标题"}, actor=admin)
        with pytest.raises(ValidationError) as exc:  # moved to Friday: only Wed, Thu left
            suspension_change(notice=notice, data={"starts_at": at(2026, 11, 27, 8)}, actor=admin)
        assert "紧急原因" in errors(exc.value)["urgent_reason"]
    event = AuditEvent.objects.get(action="suspensions.notice.changed")
    assert event.before["title"] == "系统维护暂停交易服务的通知" and event.after["title"] == "新标题"
    assert event.extra["changed"] == ["title"]


def test_postponing_a_notice_already_on_the_home_page_keeps_its_lead():
    admin = website_admin()
    with time_machine.travel(TUESDAY, tick=False):
        notice = schedule_notice(starts_at=at(2026, 11, 30, 8), ends_at=at(2026, 11, 30, 18), actor=admin)
    with time_machine.travel(at(2026, 11, 27, 9), tick=False):  # shown since Wednesday
        notice = suspension_change(
            notice=notice, data={"starts_at": at(2026, 12, 1, 8), "ends_at": at(2026, 12, 1, 18)}, actor=admin
        )
    assert notice.display_from == at(2026, 11, 26)


def test_cancel_takes_the_notice_off_at_once_and_is_audited():
    admin = website_admin()
    with time_machine.travel(TUESDAY, tick=False):
        notice = schedule_notice(starts_at=at(2026, 11, 30, 8), ends_at=at(2026, 11, 30, 18), actor=admin)
    with time_machine.travel(at(2026, 11, 26, 9), tick=False):
        assert list(visible_notices()) == [notice]
        with pytest.raises(ValidationError):
            suspension_cancel(notice=notice, reason="  ", actor=admin)
        with pytest.raises(PermissionDenied):
            suspension_cancel(notice=notice, reason="改期", actor=make_user(RoleKey.PUBLISHER))
        suspension_cancel(notice=notice, reason="维护改期", actor=admin)
        assert list(visible_notices()) == []
        notice.refresh_from_db()
        assert notice.status == "cancelled" and notice.cancelled_by == admin
        with pytest.raises(ValidationError, match="不能修改"):
            suspension_change(notice=notice, data={"title": "x"}, actor=admin)
        with pytest.raises(ValidationError, match="已结束或已取消"):
            suspension_cancel(notice=notice, reason="again", actor=admin)
    event = AuditEvent.objects.get(action="suspensions.notice.cancelled")
    assert event.extra["reason"] == "维护改期" and event.extra["status_before"] == "showing"
