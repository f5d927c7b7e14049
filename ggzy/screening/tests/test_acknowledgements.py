"""Warnings are let through only by a 信息发布管理小组 member, with a reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.portal.models import ArticlePage
from ggzy.portal.tests.factories import column
from ggzy.screening.models import FindingAcknowledgement
from ggzy.screening.selectors import page_findings_latest, unacknowledged_warnings
from ggzy.screening.services import finding_acknowledge

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    page = column("zxdt/ztxx").add_child(
        instance=ArticlePage(title="联系方式", body="<p>咨询电话 13812345678</p>", live=False)
    )
    page.save_revision()
    return page


def test_review_group_member_acknowledges_a_warning_with_a_reason(article):
    reviewer = make_user(RoleKey.REVIEW_GROUP)
    (warning,) = unacknowledged_warnings(page=article)
    assert warning.rule == "pii.mobile"
    record = finding_acknowledge(
        page=article, finding=warning, reason="单位公开的业务咨询电话", actor=reviewer
    )
    assert record.revision == article.get_latest_revision() and record.acknowledged_by == reviewer
    assert "13812345678" not in record.excerpt
    assert unacknowledged_warnings(page=article) == []
    # again: nothing new
    finding_acknowledge(page=article, finding=warning, reason="重复确认", actor=reviewer)
    assert FindingAcknowledgement.objects.count() == 1


def test_a_new_revision_needs_a_new_acknowledgement(article):
    reviewer = make_user(RoleKey.REVIEW_GROUP)
    (warning,) = unacknowledged_warnings(page=article)
    finding_acknowledge(page=article, finding=warning, reason="公开的咨询电话", actor=reviewer)
    article.save_revision()
    assert [f.rule for f in unacknowledged_warnings(page=article)] == ["pii.mobile"]


@pytest.mark.parametrize("role", [RoleKey.DRAFTER, RoleKey.PUBLISHER, RoleKey.WEBSITE_ADMIN])
def test_others_cannot_acknowledge(article, role):
    (warning,) = unacknowledged_warnings(page=article)
    with pytest.raises(PermissionDenied):
        finding_acknowledge(page=article, finding=warning, reason="理由理由", actor=make_user(role))


def test_blocking_findings_and_empty_reasons_are_refused(article):
    reviewer = make_user(RoleKey.REVIEW_GROUP)
    (warning,) = unacknowledged_warnings(page=article)
    with pytest.raises(ValidationError):
        finding_acknowledge(page=article, finding=warning, reason="  ", actor=reviewer)
    article.body = "<p>内部资料</p>"
    article.save_revision()
    (blocking,) = page_findings_latest(article)
    with pytest.raises(ValidationError):
        finding_acknowledge(page=article, finding=blocking, reason="理由充分", actor=reviewer)
