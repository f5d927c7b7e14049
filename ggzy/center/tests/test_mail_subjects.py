"""Every e-mail subject begins with the center's name, in one form from one place
(issue 20: "e-mails carry the center's name … not Wagtail's"): ggzy's own senders
through ``ggzy.core.branding.mail_subject``, Wagtail's notification subjects through
ggzy's overrides of its ``wagtailadmin/notifications/*_subject.txt``.

The sweep tests fail when a new sender or a new Wagtail subject template forgets
it; the behavioural tests send each kind through its real service (Wagtail's by
walking submit, reject, resubmit and approve through a publishing chain)."""

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
import wagtail
from django.conf import settings
from django.core import mail
from django.template.loader import get_template, render_to_string

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.core import branding

pytestmark = pytest.mark.django_db

GGZY = Path(__file__).resolve().parents[2]
WAGTAIL_NOTIFICATIONS = Path(wagtail.__file__).parent / "admin/templates/wagtailadmin/notifications"
OVERRIDES = GGZY / "core/templates/wagtailadmin/notifications"
PREFIX = f"【{settings.WAGTAIL_SITE_NAME}】"
CHINESE = re.compile(r"[\u4e00-\u9fff]")

# Django's ways of sending mail, and where each takes its subject.
SENDERS = {"send_mail", "mail_admins", "mail_managers", "EmailMessage", "EmailMultiAlternatives"}


def assert_branded(subject: str) -> None:
    assert subject.startswith(PREFIX), subject
    assert subject.count(PREFIX) == 1, subject
    assert "Wagtail" not in subject and "\n" not in subject, subject
    assert CHINESE.search(subject.removeprefix(PREFIX)), subject  # Wagtail's text, translated


# --------------------------------------------------------------------------- the form


def test_mail_subject_is_the_center_name_in_brackets_then_the_text_on_one_line():
    assert branding.mail_subject("【安全告警】网站无法访问") == f"{PREFIX}【安全告警】网站无法访问"
    assert branding.mail_subject("  页面“甲”\n    已提交  ") == f"{PREFIX}页面“甲” 已提交"
    assert branding.mail_subject(branding.mail_subject("一次")) == f"{PREFIX}一次"  # never twice


def test_the_center_name_follows_the_setting(settings):
    settings.WAGTAIL_SITE_NAME = "某市公共资源交易中心"
    assert branding.mail_subject("提醒") == "【某市公共资源交易中心】提醒"


# --------------------------------------------------------------------------- sweeps


def _subject_argument(call: ast.Call) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "subject":
            return keyword.value
    return call.args[0] if call.args else None


def _is_mail_subject_call(node: ast.expr | None) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "mail_subject") or (
        isinstance(func, ast.Attribute) and func.attr == "mail_subject"
    )


def _sender_calls() -> list[tuple[str, int, bool]]:
    """(file, line, subject goes through mail_subject) for every mail sent in ggzy/."""
    found = []
    for path in sorted(GGZY.rglob("*.py")):
        rel = path.relative_to(GGZY).as_posix()
        if "/tests/" in f"/{rel}" or "/migrations/" in rel:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # A subject kept in a name first (credentials: sent after commit).
        branded_names = {
            target.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign) and _is_mail_subject_call(node.value)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", "")
            if name not in SENDERS:
                continue
            subject = _subject_argument(node)
            kept = isinstance(subject, ast.Name) and subject.id in branded_names
            ok = _is_mail_subject_call(subject) or kept
            found.append((rel, node.lineno, ok))
    return found


def test_every_sender_in_ggzy_puts_its_subject_through_mail_subject():
    calls = _sender_calls()
    # credentials, compliance, incidents ×2, publishing ×2, sitebuild: the sweep sees them.
    assert len(calls) >= 7, calls
    assert {rel.split("/")[0] for rel, _line, _ok in calls} >= {
        "credentials",
        "compliance",
        "incidents",
        "publishing",
        "sitebuild",
    }
    bypassing = [f"{rel}:{line}" for rel, line, ok in calls if not ok]
    assert bypassing == [], f"subjects without branding.mail_subject: {bypassing}"


def test_every_wagtail_notification_subject_is_overridden_with_the_tag():
    wagtails = sorted(p.name for p in WAGTAIL_NOTIFICATIONS.glob("*_subject.txt"))
    assert len(wagtails) >= 9, wagtails
    for name in wagtails:
        template = get_template(f"wagtailadmin/notifications/{name}")
        assert Path(template.origin.name) == OVERRIDES / name, name  # ggzy's, not Wagtail's
        source = (OVERRIDES / name).read_text(encoding="utf-8")
        assert "{% mail_subject %}" in source and "{% endmail_subject %}" in source, name


@pytest.fixture
def chain():
    from ggzy.portal.tests.factories import column
    from ggzy.publishing.tests.factories import draft_article

    drafter = make_user(RoleKey.DRAFTER, department="jianshe", email="drafter@example.org")
    article = draft_article(column("jyxx/jsgc/zbgg"), drafter, "某工程招标公告")
    return drafter, article


def test_each_wagtail_subject_template_renders_the_prefix_and_its_chinese_text(chain):
    """All nine, the ones Wagtail sends in ggzy's chains and the ones it keeps for
    other tasks (approved, rejected, task_state_approved/rejected)."""
    from ggzy.publishing.services import submit_for_review

    drafter, article = chain
    submit_for_review(page=article, actor=drafter)
    article = type(article).objects.get(pk=article.pk)
    state = article.current_workflow_state
    context = {
        "page": article,
        "object": article,
        "model_name": article._meta.verbose_name,
        "revision": article.latest_revision,
        "task": article.current_workflow_task,
        "workflow": state.workflow,
        "editor": drafter,
        "user": drafter,
        "settings": settings,
    }
    for path in sorted(WAGTAIL_NOTIFICATIONS.glob("*_subject.txt")):
        subject = render_to_string(f"wagtailadmin/notifications/{path.name}", context).strip()
        assert_branded(subject)
        assert "某工程招标公告" in subject, (path.name, subject)
        assert "The page" not in subject, (path.name, subject)


# --------------------------------------------------------------------------- Wagtail's, sent


def test_wagtail_workflow_notifications_carry_the_prefix(
    chain, django_user_model, django_capture_on_commit_callbacks
):
    """Submit (the step's reviewers: task_state_submitted; superusers:
    workflow_state_submitted), 退回修改 (the drafter: workflow_state_rejected),
    resubmit, approve to the end (the drafter: workflow_state_approved)."""
    from ggzy.publishing.services import submit_for_review, task_act
    from ggzy.publishing.tests.factories import approve

    drafter, article = chain
    head = make_user(RoleKey.DEPARTMENT_HEAD, department="jianshe", email="head@example.org")
    group = make_user(RoleKey.REVIEW_GROUP, department="zonghe", email="group@example.org")
    publisher = make_user(RoleKey.PUBLISHER, email="publisher@example.org")
    django_user_model.objects.create_superuser(
        username="root-mail",
        email="root@example.org",
        password="x-Long-Enough-2026",
        department=head.department,
    )
    model = type(article)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit_for_review(page=article, actor=drafter)
        task_act(page=model.objects.get(pk=article.pk), actor=head, action="reject", comment="请补充附件")
        # Resubmitted as the editor's 提交审核 does after 退回修改: Wagtail resumes the chain.
        model.objects.get(pk=article.pk).current_workflow_state.resume(drafter)
        for reviewer in (head, group, publisher):
            approve(model.objects.get(pk=article.pk), reviewer)
    assert model.objects.get(pk=article.pk).live
    subjects = {(tuple(m.to), m.subject) for m in mail.outbox}
    assert subjects, "Wagtail sent nothing"
    for _to, subject in subjects:
        assert_branded(subject)
    to_drafter = " ".join(s for to, s in subjects if to == (drafter.email,))
    to_head = " ".join(s for to, s in subjects if to == (head.email,))
    to_root = " ".join(s for to, s in subjects if to == ("root@example.org",))
    assert "被拒绝" in to_drafter or "退回" in to_drafter, subjects  # workflow_state_rejected
    assert "批准" in to_drafter, subjects  # workflow_state_approved
    assert "审核环节" in to_head or "提交" in to_head, subjects  # task_state_submitted
    assert "提交" in to_root, subjects  # workflow_state_submitted


# --------------------------------------------------------------------------- ggzy's, sent


def test_a_credential_leak_report_is_branded(center, django_capture_on_commit_callbacks):
    from ggzy.credentials.services import leak_report
    from ggzy.credentials.tests.factories import make_credential, people

    _head, admin = people()
    credential = make_credential(admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        leak_report(credential=credential, actor=admin, note="交换机日志出现陌生地址登录成功")
    (message,) = mail.outbox
    assert_branded(message.subject)
    assert "【口令疑似泄密】核心交换机" in message.subject


def test_an_overdue_obligation_reminder_is_branded(center):
    from ggzy.compliance.models import Occurrence
    from ggzy.compliance.registry import ObligationSpec
    from ggzy.compliance.services import obligation_ensure, overdue_reminders_send

    obligation = obligation_ensure(
        spec=ObligationSpec(
            key="test-mail-room-check",
            title="机房巡检",
            clauses=("jf.1.3.1",),
            owner_role=RoleKey.MACHINE_ROOM_ADMIN,
            rrule="FREQ=WEEKLY;BYDAY=TU,FR",
            starts_on=dt.date(2025, 1, 1),
            evidence="none",
        )
    )[0]
    Occurrence.objects.create(obligation=obligation, due_on=dt.date(2026, 3, 10))
    make_user(RoleKey.MACHINE_ROOM_ADMIN, email="keeper@example.org")
    mail.outbox.clear()
    overdue_reminders_send(today=dt.date(2026, 3, 11))
    mine = [m for m in mail.outbox if "机房巡检" in m.subject]
    assert mine, [m.subject for m in mail.outbox]
    for message in mail.outbox:
        assert_branded(message.subject)


def test_an_alert_and_an_incident_notification_are_branded(center, django_capture_on_commit_callbacks):
    from ggzy.incidents import services
    from ggzy.incidents.alerts import raise_alert
    from ggzy.incidents.choices import ContactGroup, IncidentType
    from ggzy.incidents.models import Contact

    responder = make_user(RoleKey.SECURITY_ADMIN, email="sec@example.org")
    Contact.objects.create(
        name="王组长",
        group=ContactGroup.LEADERSHIP,
        is_lead=True,
        phone="13900000001",
        email="lead@example.org",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        raise_alert(source="sitebuild", key="mail-subject", title="网站无法访问", incident_type="software")
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_open(actor=responder, title="网页被篡改", incident_type=IncidentType.ATTACK)
    alert_mail = [m for m in mail.outbox if "【安全告警】网站无法访问" in m.subject]
    incident_mail = [m for m in mail.outbox if "lead@example.org" in m.to]
    assert alert_mail and incident_mail, [m.subject for m in mail.outbox]
    assert "网页被篡改" in incident_mail[0].subject
    for message in mail.outbox:
        assert_branded(message.subject)


def test_a_step_reminder_and_the_industry_quota_alert_are_branded(chain):
    import time_machine

    from ggzy.publishing.services import industry_quota_alert, overdue_reminders_send, submit_for_review

    drafter, article = chain
    make_user(RoleKey.DEPARTMENT_HEAD, department="jianshe", email="head@example.org")
    make_user(RoleKey.WEBSITE_ADMIN, email="web@example.org")
    at = dt.datetime(2026, 9, 30, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(at, tick=False):
        submit_for_review(page=article, actor=drafter)
    mail.outbox.clear()  # Wagtail's (tested above)
    assert overdue_reminders_send(now=at + dt.timedelta(days=20))  # long past the step's deadline
    assert industry_quota_alert(day=dt.date(2026, 11, 4))  # a Wednesday, nothing published
    subjects = [m.subject for m in mail.outbox]
    assert any("【待办超时】某工程招标公告" in s for s in subjects), subjects
    assert any("【行业信息未达标】" in s for s in subjects), subjects
    for subject in subjects:
        assert_branded(subject)


def test_a_tamper_alert_is_branded(center):
    from ggzy.sitebuild.models import TamperCheck
    from ggzy.sitebuild.tamper import tamper_alert_send

    make_user(RoleKey.WEBSITE_ADMIN, email="web@example.org")
    record = TamperCheck.objects.create(root="/srv/www", modified=["index.html"], modified_count=1)
    mail.outbox.clear()
    assert tamper_alert_send(record=record) == ["web@example.org"]
    (message,) = mail.outbox
    assert_branded(message.subject)
    assert "【网页篡改告警】" in message.subject
