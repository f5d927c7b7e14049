"""Each recorded event type is produced by the real action (HTTP, services, Wagtail)."""

import pytest
from django.urls import reverse

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import Department, User
from ggzy.accounts.services import (
    role_group,
    user_change_own_password,
    user_create,
    user_set_password_by_admin,
)
from ggzy.accounts.tests.factories import DEFAULT_PASSWORD, login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.audit.receivers import page_action_name
from ggzy.audit.verify import verify_chain
from ggzy.portal.models import ColumnPolicy
from ggzy.portal.tests.factories import column, publish_article

pytestmark = pytest.mark.django_db


def last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-seq").first()


# --------------------------------------------------------------------------- sign-in


def test_login_success_is_recorded_with_ip_and_request_id(client, settings):
    settings.ADMIN_ALLOWED_NETWORKS = ["192.0.2.0/24"]  # 网络安全管理办法 七(二)
    user = make_user(RoleKey.DRAFTER)
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": user.username, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR="192.0.2.7",
        HTTP_X_REQUEST_ID="abc-123",
    )
    assert response.status_code == 302
    event = last("accounts.login.succeeded")
    assert event.actor == user and event.ip == "192.0.2.7" and event.request_id == "abc-123"
    assert event.outcome == "success"


def test_login_failure_is_recorded_without_the_password(client):
    make_user(RoleKey.DRAFTER, username="lisi")
    client.post(reverse("wagtailadmin_login"), {"username": "lisi", "password": "wrong-Guess-1"})
    event = last("accounts.login.failed")
    assert event.outcome == "failure" and event.actor is None and event.actor_username == "lisi"
    assert "wrong-Guess-1" not in str([event.before, event.after, event.extra])


def test_logout_is_recorded(client):
    user = make_user(RoleKey.DRAFTER)
    login_as(client, user)
    client.post(reverse("wagtailadmin_logout"))
    assert last("accounts.logout.succeeded").actor == user


# --------------------------------------------------------------------------- accounts


def test_user_create_service_records_the_account_and_its_roles():
    user = user_create(
        username="zhaoliu",
        department=Department.objects.get(code="caigou"),
        password="Strong-Pass-2026!",
        groups=[role_group(RoleKey.DRAFTER)],
    )
    created = last("accounts.user.created")
    assert created.object_id == str(user.pk) and created.after["department"] == user.department_id
    assert "password" not in created.after
    membership = last("accounts.group.changed")
    assert membership.object_id == str(user.pk)
    assert membership.after == {"groups": [role_group(RoleKey.DRAFTER).name]}


def test_password_reset_and_change_are_recorded():
    user = make_user(RoleKey.DRAFTER)
    user_set_password_by_admin(user=user, password="Another-Strong-2026!")
    # Identity's security events reach the audit log through the accounts seam.
    assert last("accounts.password.reset").object_id == str(user.pk)
    user_change_own_password(actor=user, new_password="Mine-Strong-2026!x")
    event = last("accounts.password.changed")
    assert event.actor == user and "Mine-Strong" not in str(event.extra)


def test_admin_user_edit_records_before_after_and_group_change(client):
    operator = make_user(RoleKey.SYSTEM_ADMIN)
    target = make_user(RoleKey.DRAFTER, email="old@example.cn")
    login_as(client, operator)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[target.pk]),
        {
            "username": target.username,
            "email": "new@example.cn",
            "first_name": "三",
            "last_name": "张",
            "department": str(target.department_id),
            "is_active": "on",
            "groups": [str(role_group(RoleKey.PUBLISHER).pk)],
            "password1": "",
            "password2": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    updated = last("accounts.user.updated")
    assert updated.actor == operator
    assert updated.before["email"] == "old@example.cn" and updated.after["email"] == "new@example.cn"
    changed = last("accounts.group.changed")
    assert changed.actor == operator and changed.after == {"groups": [role_group(RoleKey.PUBLISHER).name]}


def test_admin_user_create_is_recorded(client):
    operator = make_user(RoleKey.SYSTEM_ADMIN)
    login_as(client, operator)
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "wangwu",
            "email": "wangwu@example.com",
            "first_name": "五",
            "last_name": "王",
            "department": str(Department.objects.get(code="caigou").pk),
            "groups": [str(role_group(RoleKey.DRAFTER).pk)],
            "password1": "Strong-Pass-2026!",
            "password2": "Strong-Pass-2026!",
        },
    )
    assert response.status_code == 302
    event = last("accounts.user.created")
    assert event.actor == operator and event.object_id == str(User.objects.get(username="wangwu").pk)
    assert "Strong-Pass" not in str(event.after) + str(event.extra)


def test_group_membership_change_by_any_path_is_recorded():
    user = make_user(RoleKey.DRAFTER)
    role_group(RoleKey.PUBLISHER).user_set.add(user)
    event = last("accounts.group.changed")
    assert event.object_id == str(user.pk)
    assert set(event.after["groups"]) == {
        role_group(RoleKey.DRAFTER).name,
        role_group(RoleKey.PUBLISHER).name,
    }


def test_group_and_permission_changes_are_recorded():
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="临时小组")
    assert last("accounts.group.created").object_id == str(group.pk)
    group.permissions.add(Permission.objects.get(codename="view_user"))
    event = last("accounts.group.permissions_changed")
    assert event.extra == {"change": "add", "permissions": ["accounts.view_user"]}
    group.delete()
    assert last("accounts.group.deleted").object_repr == "临时小组"


def test_admin_user_delete_is_recorded(client):
    operator = make_user(RoleKey.SYSTEM_ADMIN, is_superuser=True, is_staff=True)
    target = make_user(RoleKey.DRAFTER, username="todelete")
    login_as(client, operator)
    response = client.post(reverse("wagtailusers_users:delete", args=[target.pk]))
    assert response.status_code == 302
    event = last("accounts.user.deleted")
    assert event.actor == operator and event.object_repr == "todelete"
    assert event.before["username"] == "todelete"
    assert verify_chain().ok


# --------------------------------------------------------------------------- policies and pages


def test_column_policy_change_in_the_admin_records_before_and_after(client):
    from ggzy.portal.tests.test_column_policy_admin import policy_form

    admin = make_user(RoleKey.WEBSITE_ADMIN)
    login_as(client, admin)
    policy = ColumnPolicy.objects.get(column__slug="zwgk")
    response = client.post(
        reverse("column_policies:edit", args=[policy.pk]), policy_form(policy, font_size="小四")
    )
    assert response.status_code == 302
    event = last("portal.column_policy.updated")
    assert event.actor == admin and event.object_id == str(policy.pk)
    assert event.before == {"font_size": "4号"} and event.after == {"font_size": "小四"}


def test_page_publish_and_unpublish_are_recorded(center):
    editor = make_user(RoleKey.PUBLISHER)
    article = publish_article(column("jyxx/jsgc/zbgg"), "某工程招标公告")
    assert last("publishing.page.published").object_id == str(article.pk)
    # Governed pages come down only through the emergency takedown (网站管理制度 第十八条).
    from ggzy.publishing.services import page_takedown

    page_takedown(page=article, actor=editor, reason="公告信息有误")
    event = last("publishing.page.unpublished")
    assert event.object_id == str(article.pk) and event.actor == editor
    assert verify_chain().ok


def test_workflow_actions_are_recorded(center):
    from wagtail.models import Workflow

    workflow = Workflow.objects.filter(active=True).first()
    if workflow is None:
        from wagtail.models import GroupApprovalTask, WorkflowTask

        workflow = Workflow.objects.create(name="测试审批")
        task = GroupApprovalTask.objects.create(name="审核")
        task.groups.set([role_group(RoleKey.DEPARTMENT_HEAD)])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    submitter = make_user(RoleKey.DRAFTER)
    article = publish_article(column("jyxx/jsgc/zbgg"), "待审公告")
    article.save_revision(user=submitter)
    state = workflow.start(article, submitter)
    assert last("publishing.workflow.started").object_id == str(article.pk)
    state.cancel(user=submitter)
    assert last("publishing.workflow.cancelled").actor == submitter


def test_wagtail_action_names_are_namespaced():
    assert page_action_name("wagtail.publish") == "publishing.page.published"
    assert page_action_name("wagtail.workflow.approve") == "publishing.workflow.approved"
    assert page_action_name("wagtail.publish.scheduled") == "publishing.page.published_scheduled"


def test_admin_user_writes_record_each_event_once(client):
    """The user admin goes through accounts.services: one record per fact, none lost."""
    operator = login_as(client, make_user(RoleKey.SYSTEM_ADMIN))
    form = {
        "username": "zhouba",
        "email": "zhouba@example.com",
        "first_name": "八",
        "last_name": "周",
        "department": str(Department.objects.get(code="caigou").pk),
        "groups": [str(role_group(RoleKey.DRAFTER).pk)],
        "password1": "Strong-Pass-2026!",
        "password2": "Strong-Pass-2026!",
    }
    assert client.post(reverse("wagtailusers_users:add"), form).status_code == 302
    user = User.objects.get(username="zhouba")
    form.update(
        groups=[str(role_group(RoleKey.PUBLISHER).pk)],
        is_active="on",
        password1="Strong-Reset-2026!",
        password2="Strong-Reset-2026!",
    )
    assert client.post(reverse("wagtailusers_users:edit", args=[user.pk]), form).status_code == 302
    events = AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk)).order_by("seq")
    # Replacing the roles is a removal and an addition (Django's groups.set): two facts.
    drafter, publisher = role_group(RoleKey.DRAFTER).name, role_group(RoleKey.PUBLISHER).name
    assert [(e.action, e.before, e.after) for e in events if e.action == "accounts.group.changed"] == [
        ("accounts.group.changed", {"groups": []}, {"groups": [drafter]}),
        ("accounts.group.changed", {"groups": [drafter]}, {"groups": []}),
        ("accounts.group.changed", {"groups": []}, {"groups": [publisher]}),
    ]
    assert [e.action for e in events if e.action != "accounts.group.changed"] == [
        "accounts.user.created",
        "accounts.user.updated",
        "accounts.password.reset",
    ]
    assert all(e.actor == operator for e in events)
    assert verify_chain().ok


def test_nul_in_what_an_attacker_sent_is_recorded_visibly_and_never_breaks_the_record():
    """PostgreSQL refuses NUL in text and jsonb; the record of a hostile request must still land."""
    from ggzy.audit import services as audit

    event = audit.record(
        action="accounts.login.failed",
        outcome="failure",
        actor_username="admin\x00",
        object_repr="x\x00y",
        path="/api/v1/notices/\x05\x00",
        payload={"external_id\x00": ["JY\x00"]},
    )
    event.refresh_from_db()
    assert event.actor_username == "admin\u2400"
    assert event.object_repr == "x\u2400y"
    assert event.extra == {
        "path": "/api/v1/notices/\x05\u2400",
        "payload": {"external_id\u2400": ["JY\u2400"]},
    }
    assert verify_chain().ok
