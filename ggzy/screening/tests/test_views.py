"""The 审查结果 page: who may see it, and warnings acknowledged by the
信息发布管理小组 with a reason."""

import pytest
from django.urls import reverse

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.portal.models import ArticlePage
from ggzy.portal.tests.factories import column
from ggzy.screening.models import FindingAcknowledgement

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    page = column("zxdt/ztxx").add_child(
        instance=ArticlePage(title="联系方式", body="<p>咨询电话 13812345678，内部资料</p>", live=False)
    )
    page.save_revision()
    return page


def url(page):
    return reverse("screening_page_findings", args=[page.pk])


def test_anonymous_is_sent_to_login(client, article):
    response = client.get(url(article))
    assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.mark.parametrize("role", [RoleKey.NETWORK_ADMIN, RoleKey.AUDIT_ADMIN])
def test_roles_without_page_access_are_refused(client, article, role):
    login_as(client, make_user(role))
    assert client.get(url(article)).status_code in (302, 403)


def test_editor_sees_masked_findings_but_cannot_acknowledge(client, article):
    login_as(client, make_user(RoleKey.DRAFTER))
    response = client.get(url(article))
    content = response.content.decode()
    assert response.status_code == 200
    assert "pii.mobile" in content and "classified.mark" in content and "13812345678" not in content
    assert "待信息发布管理小组确认" in content and 'name="reason"' not in content
    key = next(row["key"] for row in response.context["rows"] if row["finding"].rule == "pii.mobile")
    response = client.post(url(article), {"finding": key, "reason": "业务咨询电话"})
    assert response.status_code in (302, 403) and response.get("Location", "") != url(article)
    assert not FindingAcknowledgement.objects.exists()


def test_review_group_member_acknowledges_a_warning(client, article):
    reviewer = make_user(RoleKey.REVIEW_GROUP)
    login_as(client, reviewer)
    response = client.get(url(article))
    assert response.status_code == 200 and 'name="reason"' in response.content.decode()
    key = next(row["key"] for row in response.context["rows"] if row["finding"].rule == "pii.mobile")
    response = client.post(url(article), {"finding": key, "reason": "单位公开的业务咨询电话"}, follow=True)
    record = FindingAcknowledgement.objects.get()
    assert record.acknowledged_by == reviewer and record.rule == "pii.mobile"
    assert "单位公开的业务咨询电话" in response.content.decode()


def test_blocking_findings_cannot_be_acknowledged_here(client, article):
    login_as(client, make_user(RoleKey.REVIEW_GROUP))
    response = client.get(url(article))
    key = next(row["key"] for row in response.context["rows"] if row["finding"].rule == "classified.mark")
    response = client.post(url(article), {"finding": key, "reason": "理由充分"}, follow=True)
    assert not FindingAcknowledgement.objects.exists()
    assert "不能确认放行" in response.content.decode()


def test_edit_page_links_to_the_findings(client, article):
    login_as(client, make_user(RoleKey.PUBLISHER))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert url(article) in response.content.decode()
