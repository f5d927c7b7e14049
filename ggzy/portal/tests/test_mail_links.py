"""E-mails' links follow the domain the 网站管理员 set in 设置 › 网站标识 (issue 20):
Wagtail's workflow notifications and the incidents' alert e-mails, with the setting
WAGTAILADMIN_BASE_URL as the fallback before an identity is saved."""

import pytest
from django.conf import settings
from django.core import mail

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.core.base_url import admin_base_url
from ggzy.incidents.alerts import raise_alert
from ggzy.portal.services import site_identity_update
from ggzy.portal.tests.factories import column
from ggzy.portal.tests.test_identity import IDENTITY
from ggzy.publishing.services import submit_for_review
from ggzy.publishing.tests.factories import draft_article

pytestmark = pytest.mark.django_db

PUBLIC = "https://ggzy.jiaozuo.gov.cn"


def _bodies(message) -> str:
    return message.body + "".join(content for content, _type in getattr(message, "alternatives", []))


def _submission_mail(django_capture_on_commit_callbacks) -> tuple:
    drafter = make_user(RoleKey.DRAFTER, department="jianshe")
    head = make_user(RoleKey.DEPARTMENT_HEAD, department="jianshe", email="head@example.org")
    draft = draft_article(column("jyxx/jsgc/zbgg"), drafter, "招标公告")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit_for_review(page=draft, actor=drafter)
    messages = [m for m in mail.outbox if head.email in m.to]
    assert messages, [m.subject for m in mail.outbox]
    return _bodies(messages[0]), draft


def test_a_workflow_notification_links_to_the_identitys_domain(center, django_capture_on_commit_callbacks):
    site_identity_update(data=IDENTITY)
    body, draft = _submission_mail(django_capture_on_commit_callbacks)
    assert f"{PUBLIC}/admin/pages/{draft.pk}/" in body
    assert settings.WAGTAILADMIN_BASE_URL not in body


def test_before_an_identity_is_saved_the_setting_is_the_base(center, django_capture_on_commit_callbacks):
    assert admin_base_url() == settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    body, draft = _submission_mail(django_capture_on_commit_callbacks)
    assert f"{settings.WAGTAILADMIN_BASE_URL}/admin/pages/{draft.pk}/" in body


def test_an_alert_email_links_to_the_identitys_domain(center, django_capture_on_commit_callbacks):
    site_identity_update(data={**IDENTITY, "https": False, "domain": "ggzy.jiaozuo.gov.cn:8443"})
    make_user(RoleKey.SECURITY_ADMIN, email="sec@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_alert(
            source="sitebuild",
            key="mail-links",
            title="网站无法访问",
            incident_type="software",
            links=[("网页防篡改检查", "/admin/site/tamper-checks/")],
        )
    (message,) = mail.outbox
    assert f"http://ggzy.jiaozuo.gov.cn:8443/admin/incidents/alerts/{alert.pk}/" in message.body
    assert "网页防篡改检查: http://ggzy.jiaozuo.gov.cn:8443/admin/site/tamper-checks/" in message.body
    assert settings.WAGTAILADMIN_BASE_URL not in message.body
