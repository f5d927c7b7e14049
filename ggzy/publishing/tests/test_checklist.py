"""The reviewer's checklist on a chain step (网站管理制度 第十四条 (八) 损害中心形象;
信息发布管理制度 一(四) 9 侵犯知识产权): kinds of prohibited content no word list
catches are confirmed by the reviewer, item by item, and kept in the record."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.portal.tests.factories import column
from ggzy.publishing.models import PublicationRecord, StepConfirmation
from ggzy.publishing.services import submit_for_review, task_act
from ggzy.publishing.tests.factories import approve, draft_article

pytestmark = pytest.mark.django_db


def reload(page):
    return type(page).objects.get(pk=page.pk)


@pytest.fixture
def at_group_step():
    drafter = make_user(R.DRAFTER, department="jianshe")
    article = draft_article(column("jyxx/jsgc/zbgg"), drafter, "某工程招标公告")
    submit_for_review(page=article, actor=drafter)
    approve(article, make_user(R.DEPARTMENT_HEAD, department="jianshe"))
    article = reload(article)
    assert article.current_workflow_task.name == "信息发布管理小组审核"
    return article


def test_the_group_step_cannot_be_approved_without_every_tick(at_group_step):
    article = at_group_step
    group = make_user(R.REVIEW_GROUP, department="zonghe")
    items = article.current_workflow_task.specific.checklist_items()
    assert len(items) == 2 and "中心形象" in items[0] and "知识产权" in items[1]
    for ticked in ([], items[:1]):
        with pytest.raises(PermissionDenied, match="逐项勾选"):
            task_act(page=reload(article), actor=group, action="approve", confirmed=ticked)
        assert reload(article).current_workflow_task.name == "信息发布管理小组审核"
    assert not StepConfirmation.objects.exists()
    # Sending back needs no ticks.
    task_act(page=reload(article), actor=group, action="reject", comment="请核实来源")
    assert reload(article).current_workflow_state.status == "needs_changes"


def test_approval_records_the_confirmations_in_the_audit_log_and_the_record(at_group_step):
    article = at_group_step
    group = make_user(R.REVIEW_GROUP, department="zonghe")
    approve(article, group)
    confirmation = StepConfirmation.objects.get()
    assert confirmation.user == group and len(confirmation.items) == 2
    event = AuditEvent.objects.get(action="publishing.checklist.confirmed")
    assert event.actor_id == group.pk and event.after["items"] == confirmation.items
    approve(article, make_user(R.PUBLISHER))
    record = PublicationRecord.objects.get(page=article)
    assert record.steps[1]["confirmations"] == confirmation.items
    assert record.steps[2]["confirmations"] == []


def test_wagtail_action_modal_shows_the_checklist_and_enforces_it(client, at_group_step):
    article = at_group_step
    group = login_as(client, make_user(R.REVIEW_GROUP, department="zonghe"))
    task = article.current_workflow_task.specific
    # The only approve action opens the modal (no one-click approval past the checklist).
    assert [(name, modal) for name, _, modal in task.get_actions(article, group)] == [
        ("reject", True),
        ("approve", True),
    ]
    state = article.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "approve", state.pk))
    xhr = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
    html = client.get(url, **xhr).json()["html"]
    for item in task.checklist_items():
        assert item in html
    response = client.post(url, {"comment": "", "confirm_0": "on"}, **xhr)
    assert response.json()["step"] == "action"  # the form again, with its error
    assert reload(article).current_workflow_task.name == "信息发布管理小组审核"
    response = client.post(url, {"comment": "已核对", "confirm_0": "on", "confirm_1": "on"}, **xhr)
    assert response.json()["step"] == "success"
    assert reload(article).current_workflow_task.name == "信息发布员发布"
    assert StepConfirmation.objects.get().user == group


def test_the_editors_save_and_approve_path_cannot_skip_the_checklist(at_group_step):
    # The edit view passes the modal's data straight to on_action: checked there too.
    article = at_group_step
    group = make_user(R.REVIEW_GROUP, department="zonghe")
    task = article.current_workflow_task.specific
    with pytest.raises(PermissionDenied):
        task.on_action(article.current_workflow_task_state, group, "approve", comment="", confirm_0=True)
    with pytest.raises(PermissionDenied):
        task.on_action(article.current_workflow_task_state, group, "approve", confirm_0="on", confirm_1="on")
    assert reload(article).current_workflow_task.name == "信息发布管理小组审核"


def test_steps_without_a_checklist_keep_one_click_approval(at_group_step):
    head_task = column("jyxx/jsgc/zbgg").get_workflow().tasks.first().specific
    assert head_task.checklist_items() == []
    actions = head_task.get_form_for_action("approve")
    assert set(actions.base_fields) == {"comment"}
