"""Live checks: every status each can return, on real data; time by time-machine."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import PasswordPolicy
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.guard import allow_purge
from ggzy.audit.models import AuditEvent
from ggzy.audit.services import record
from ggzy.audit.tests.factories import tamper
from ggzy.compliance.checks_builtin import audit_log_verified_and_kept, password_policy_and_mfa
from ggzy.portal.tests.factories import column, publish_article
from ggzy.sitebuild.checks import published_pages_have_records, tamper_check_recent
from ggzy.sitebuild.models import TamperCheck
from ggzy.suspensions.checks import suspension_notices_shown_ahead
from ggzy.suspensions.models import SuspensionNotice, SuspensionRenderState

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 10)
NOON = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def status(check):
    return check(today=timezone.localdate()).status


# --------------------------------------------------------------------------- audit


def test_audit_log_met_when_intact_and_kept_six_months():
    record(action="tests.thing.done")
    result = audit_log_verified_and_kept(today=timezone.localdate())
    assert result.status == "met" and "180" in result.detail, result.detail


def test_audit_log_failing_when_kept_less_than_six_months(settings):
    settings.AUDIT_RETENTION_DAYS = 90
    assert status(audit_log_verified_and_kept) == "failing"


def test_audit_log_failing_when_an_event_was_edited():
    event = record(action="tests.thing.done", object_repr="original")
    tamper("UPDATE audit_auditevent SET object_repr = 'forged' WHERE id = %s", [event.pk])
    result = audit_log_verified_and_kept(today=timezone.localdate())
    assert result.status == "failing" and "校验失败" in result.detail


def test_audit_log_no_data_when_empty():
    with allow_purge():
        AuditEvent.objects.all().delete()
    assert status(audit_log_verified_and_kept) == "no_data"


# --------------------------------------------------------------------------- passwords and MFA


def test_password_and_mfa_met_when_every_key_account_has_a_second_factor():
    user = make_user(RoleKey.PUBLISHER, last_login=timezone.now())
    TOTPDevice.objects.create(user=user, name="ggzy-totp", confirmed=True)
    make_user()  # office staff need no second factor
    assert status(password_policy_and_mfa) == "met"


def test_publishing_account_without_mfa_is_failing():
    make_user(RoleKey.DRAFTER, username="nomfa", last_login=timezone.now())
    result = password_policy_and_mfa(today=timezone.localdate())
    assert result.status == "failing" and "nomfa" in result.detail


def test_account_that_never_logged_in_is_due_to_enrol():
    make_user(RoleKey.SECURITY_ADMIN)
    assert status(password_policy_and_mfa) == "due_soon"


def test_policy_below_the_floor_is_failing():
    PasswordPolicy.objects.create(publishing_min_length=8)
    result = password_policy_and_mfa(today=timezone.localdate())
    assert result.status == "failing" and "信息发布人员最小长度" in result.detail


# --------------------------------------------------------------------------- tamper check


def _tamper_run(**fields):
    return TamperCheck.objects.create(root="/site", **{"intact": True, **fields})


def test_tamper_check_no_data_before_the_first_run():
    TamperCheck.objects.all().delete()
    assert status(tamper_check_recent) == "no_data"


def test_tamper_check_met_within_ten_minutes_and_overdue_after():
    with time_machine.travel(NOON, tick=False):
        _tamper_run(checked_at=NOON - dt.timedelta(minutes=4))
        assert status(tamper_check_recent) == "met"
    with time_machine.travel(NOON + dt.timedelta(minutes=7), tick=False):
        assert status(tamper_check_recent) == "overdue"


def test_tamper_found_and_restored_is_met_unrestored_is_failing():
    with time_machine.travel(NOON, tick=False):
        _tamper_run(checked_at=NOON, intact=False, restored=True, intact_after_restore=True)
        assert status(tamper_check_recent) == "met"
        _tamper_run(checked_at=NOON + dt.timedelta(seconds=1), intact=False, restored=False)
        assert status(tamper_check_recent) == "failing"


# --------------------------------------------------------------------------- publication records


def test_every_published_article_has_a_record_or_the_check_fails():
    assert status(published_pages_have_records) == "met"
    publish_article(column("zxdt/zxjb"), "未经流程发布的文章")
    result = published_pages_have_records(today=timezone.localdate())
    assert result.status == "failing" and "未经流程发布的文章" in result.detail


# --------------------------------------------------------------------------- suspension notices


def _notice(*, display_from, starts_at):
    return SuspensionNotice.objects.create(
        reason_kind="maintenance",
        title="系统维护暂停交易服务的通知",
        body="暂停。",
        affected_services="网上开标",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(days=1),
        display_from=display_from,
        created_by=make_user(RoleKey.WEBSITE_ADMIN),
    )


def test_suspension_notices_met_when_none_scheduled():
    assert status(suspension_notices_shown_ahead) == "met"


def test_pending_notice_is_due_shown_is_met_unshown_is_failing():
    with time_machine.travel(NOON, tick=False):
        notice = _notice(display_from=NOON + dt.timedelta(days=1), starts_at=NOON + dt.timedelta(days=4))
        assert status(suspension_notices_shown_ahead) == "due_soon"
    with time_machine.travel(NOON + dt.timedelta(days=2), tick=False):
        result = suspension_notices_shown_ahead(today=TODAY)
        assert result.status == "failing" and notice.title in result.detail
        SuspensionRenderState.objects.create(pk=1, signature="x", notice_ids=[notice.pk], rendered_at=NOON)
        assert status(suspension_notices_shown_ahead) == "met"


def test_unused_group_is_harmless():
    # A role group with nobody in it does not count as a key account.
    Group.objects.get(role__key=RoleKey.PUBLISHER)
    assert status(password_policy_and_mfa) == "met"
