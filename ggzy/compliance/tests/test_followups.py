"""Follow-up actions (整改措施) on an occurrence done with findings (issue 21 §2):
created from the findings with what, owner and due date, tracked until closed; the
clause stays failing until every follow-up is closed, then met. Services and HTTP."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.compliance.models import FollowUp, Occurrence
from ggzy.compliance.selectors import clause_statuses
from ggzy.compliance.services import (
    followup_close,
    followup_create,
    occurrence_complete,
    occurrences_generate,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 18)
LEDGER = "wh-asset-ledger"  # 网络与系统安全维护管理制度 一(三) wh.1.3, owned by the 网络管理员
CLAUSE = "wh.1.3"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(dt.datetime(2026, 12, 18, 10, 0, tzinfo=dt.UTC), tick=False):
        Occurrence.objects.all().delete()
        occurrences_generate(today=TODAY, horizon_days=120)
        yield TODAY


def evidence() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return SimpleUploadedFile("台账.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def keeper():
    return make_user(RoleKey.NETWORK_ADMIN)


@pytest.fixture
def found(keeper) -> Occurrence:
    """The quarterly ledger check done with 2 discrepancies (allowed: 0)."""
    occurrence = Occurrence.objects.get(obligation__key=LEDGER, due_on=dt.date(2026, 12, 31))
    return occurrence_complete(
        occurrence=occurrence, actor=keeper, answers={"discrepancies": 2}, files=[evidence()]
    )


def status(day=TODAY):
    row = next(r for r in clause_statuses(today=day, regulation="wh") if r.key == CLAUSE)
    return row.status, row.detail


def last_audit():
    return AuditEvent.objects.order_by("-seq").values_list("action", "outcome").first()


# ----------------------------------------------------------------- services


def test_the_clause_stays_failing_until_every_followup_is_closed(found, keeper):
    assert found.state == "done_with_findings"
    assert status() == (
        "failing",
        "“计算机硬件及维修工具资产台账核对”最近一次（2026-12-31）有发现项，尚未制定整改措施",
    )
    repairer = make_user(RoleKey.SYSTEM_ADMIN)
    first = followup_create(
        occurrence=found,
        actor=keeper,
        action="补录两台交换机入台账",
        owner=keeper,
        due_on=dt.date(2027, 1, 15),
        finding_key="discrepancies",
    )
    second = followup_create(
        occurrence=found, actor=keeper, action="报废维修工具出账", owner=repairer, due_on=dt.date(2027, 1, 8)
    )
    assert last_audit() == ("compliance.followup.created", "success")
    assert status() == (
        "failing",
        "“计算机硬件及维修工具资产台账核对”有 2 项整改措施未关闭（最早期限 2027-01-08）",
    )
    # Past its due date the detail says so.
    assert status(dt.date(2027, 1, 9))[1].endswith("最早期限 2027-01-08 已过")
    followup_close(followup=first, actor=keeper, note="已补录")
    assert status()[0] == "failing"  # one still open
    followup_close(followup=second, actor=repairer, note="已出账")
    assert last_audit() == ("compliance.followup.closed", "success")
    assert status() == ("met", "“计算机硬件及维修工具资产台账核对”最近一次 2026-12-31 已完成，发现项已整改")
    first.refresh_from_db()
    assert first.closed_by == keeper and first.closing_note == "已补录" and first.closed_at is not None


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"action": " "}, "请填写整改措施。"),
        ({"owner": None}, "请选择在职的责任人。"),
        ({"due_on": dt.date(2026, 12, 17)}, "完成期限不能早于今天。"),
        ({"due_on": None}, "请填写完成期限。"),
        ({"finding_key": "temperature"}, "该待办没有发现项“temperature”。"),
    ],
)
def test_bad_followup_input_is_refused_in_chinese_nothing_stored_attempt_audited(
    found, keeper, fields, message
):
    values = {"action": "补录", "owner": keeper, "due_on": dt.date(2027, 1, 15), **fields}
    with pytest.raises(ValidationError) as refused:
        followup_create(occurrence=found, actor=keeper, **values)
    assert message in refused.value.messages
    assert not FollowUp.objects.exists()
    assert last_audit() == ("compliance.followup.rejected", "failure")


def test_only_an_occurrence_with_findings_takes_a_followup(keeper):
    clean = Occurrence.objects.get(obligation__key=LEDGER, due_on=dt.date(2026, 12, 31))
    occurrence_complete(occurrence=clean, actor=keeper, answers={"discrepancies": 0}, files=[evidence()])
    with pytest.raises(ValidationError, match="有发现项"):
        followup_create(occurrence=clean, actor=keeper, action="x", owner=keeper, due_on=dt.date(2027, 1, 1))


def test_who_may_create_and_close(found, keeper):
    outsider = make_user(RoleKey.WEBSITE_ADMIN)
    auditor = make_user(RoleKey.AUDIT_ADMIN)
    for actor in (outsider, auditor):
        with pytest.raises(PermissionDenied):
            followup_create(
                occurrence=found, actor=actor, action="x", owner=keeper, due_on=dt.date(2027, 1, 1)
            )
    security = make_user(RoleKey.SECURITY_ADMIN)
    followup = followup_create(
        occurrence=found, actor=security, action="复核台账", owner=keeper, due_on=dt.date(2027, 1, 1)
    )
    for actor in (outsider, auditor):
        with pytest.raises(PermissionDenied):
            followup_close(followup=followup, actor=actor, note="done")
    with pytest.raises(ValidationError, match="请填写整改结果"):
        followup_close(followup=followup, actor=keeper, note="")
    assert last_audit() == ("compliance.followup.rejected", "failure")
    followup_close(followup=followup, actor=security, note="已复核")  # the 安全管理员 may close any
    with pytest.raises(ValidationError, match="已关闭"):
        followup_close(followup=followup, actor=keeper, note="again")


# ----------------------------------------------------------------- HTTP


def client_for(user) -> Client:
    client = Client()
    login_as(client, user)
    return client


def test_owner_role_adds_a_followup_the_owner_closes_it_from_my_duties(found, keeper):
    repairer = make_user(RoleKey.SYSTEM_ADMIN)  # not of the owner role
    page = reverse("compliance_occurrence", args=[found.pk])
    keeper_client = client_for(keeper)
    html = keeper_client.get(page).content.decode()
    assert 'id="followup-form"' in html and "尚未制定整改措施。" in html
    response = keeper_client.post(
        reverse("compliance_followup_add", args=[found.pk]),
        {
            "finding_key": "discrepancies",
            "action": "补录交换机",
            "owner": repairer.pk,
            "due_on": "2027-01-15",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == page
    assert "已制定整改措施“补录交换机”" in response.content.decode()
    followup = FollowUp.objects.get()
    assert (followup.owner, followup.due_on, followup.finding_key) == (
        repairer,
        dt.date(2027, 1, 15),
        "discrepancies",
    )
    # The responsible person finds it under 我的定期义务 and may open the occurrence.
    repairer_client = client_for(repairer)
    mine = repairer_client.get(reverse("compliance_mine")).content.decode()
    assert 'id="my-followups"' in mine and "补录交换机" in mine
    html = repairer_client.get(page).content.decode()
    assert re.search(r'<tr data-followup="\d+" data-open="1">', html) and 'class="followup-close"' in html
    close = reverse("compliance_followup_close", args=[followup.pk])
    refused = repairer_client.post(close, {"note": " "}, follow=True).content.decode()
    assert "请填写整改结果。" in refused and FollowUp.objects.get().is_open
    done = repairer_client.post(close, {"note": "已补录两台交换机"}, follow=True).content.decode()
    assert "已关闭" in done and not FollowUp.objects.get().is_open
    assert status()[0] == "met"


def test_bad_form_input_shows_the_chinese_errors_and_stores_nothing(found, keeper):
    response = client_for(keeper).post(
        reverse("compliance_followup_add", args=[found.pk]),
        {"action": "", "owner": "abc", "due_on": "明天"},
        follow=True,
    )
    html = response.content.decode()
    assert "请填写整改措施。" in html and "请选择在职的责任人。" in html and "请填写完成期限。" in html
    assert not FollowUp.objects.exists()


def test_the_auditor_reads_others_are_refused(found, keeper):
    followup = followup_create(
        occurrence=found, actor=keeper, action="补录", owner=keeper, due_on=dt.date(2027, 1, 15)
    )
    auditor = client_for(make_user(RoleKey.AUDIT_ADMIN))
    html = auditor.get(reverse("compliance_occurrence", args=[found.pk])).content.decode()
    assert "补录" in html and 'id="followup-form"' not in html and 'class="followup-close"' not in html
    assert (
        auditor.post(reverse("compliance_followup_close", args=[followup.pk]), {"note": "x"}).status_code
        == 403
    )
    assert auditor.post(reverse("compliance_followup_add", args=[found.pk]), {}).status_code == 403
    outsider = client_for(make_user(RoleKey.WEBSITE_ADMIN))
    assert (
        outsider.post(reverse("compliance_followup_close", args=[followup.pk]), {"note": "x"}).status_code
        == 404
    )
    assert FollowUp.objects.get().is_open
    # The drill-down shows the follow-up beside its occurrence.
    security = client_for(make_user(RoleKey.SECURITY_ADMIN))
    clause = security.get(reverse("compliance_clause", args=[CLAUSE])).content.decode()
    assert "整改：补录" in clause and 'data-status="failing"' in clause
