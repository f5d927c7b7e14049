import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.actions.publish_page_revision import PublishPagePermissionError

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.portal.tests.factories import column, publish_article
from ggzy.publishing.models import PublicationRecord, TakedownRecord
from ggzy.publishing.services import page_takedown, submit_for_review, task_act
from ggzy.publishing.tests.factories import approve, draft_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "drafter": make_user(R.DRAFTER, department="jianshe", first_name="信息员"),
        "head": make_user(R.DEPARTMENT_HEAD, R.DRAFTER, department="jianshe"),
        "other_head": make_user(R.DEPARTMENT_HEAD, department="caigou"),
        "group": make_user(R.REVIEW_GROUP, department="zonghe"),
        "leader": make_user(R.LEADER, department="zonghe"),
        "publisher": make_user(R.PUBLISHER, department="xinxi"),
    }


def reload(page):
    return type(page).objects.get(pk=page.pk)


def steps_of(workflow) -> list[str]:
    return [t.name for t in workflow.tasks.order_by("workflow_tasks__sort_order")]


def test_columns_carry_the_chains_the_regulation_sets():
    # 审核制度 (七): department columns take the 分管领导 chain (the reading is in the
    # clause's note), except 交易公告 (第十条) and same-day meeting news (传递制度 (一)).
    for path in ("zwgk", "zcfg/gjj", "zytz", "zlxz/bgxz", "bszn/fwzn", "tpzs", "zxdt/hyxx"):
        assert column(path).get_workflow().name == "分管领导审核签发流程", path
    assert column("zxdt/zxjb").get_workflow().name == "会议活动信息当天发布流程"
    assert column("jyxx/jsgc/zbgg").get_workflow().name == "交易公告公示发布流程"
    for path in ("llyj", "whyd"):  # no source department: the default chain
        assert column(path).get_workflow().name == "科室信息审核发布流程", path
    assert steps_of(column("zlxz/bgxz").get_workflow()) == [
        "科室负责人初审", "信息发布管理小组审核", "分管领导审核签发", "信息发布员发布",
    ]  # fmt: skip


def test_every_chain_has_the_review_group_step_right_after_the_head(center_data):
    # 审核制度 (四): 科室负责人校审 → 信息发布管理小组审核 → 上网发布, in every chain.
    from wagtail.models import Workflow

    from ggzy.accounts.models import Role

    group = Role.objects.get(key=R.REVIEW_GROUP).group
    workflows = Workflow.objects.filter(name__in=[w["name"] for w in center_data["workflows"]])
    assert workflows.count() == 4
    for workflow in workflows:
        tasks = [t.specific for t in workflow.tasks.order_by("workflow_tasks__sort_order")]
        assert type(tasks[0]).__name__ == "DepartmentReviewTask", workflow.name
        assert list(tasks[1].groups.all()) == [group], workflow.name
        assert tasks[1].checklist_items(), workflow.name  # the reviewer's confirmations


def test_the_full_leader_chain_publishes_and_records(people):
    article = draft_article(column("zlxz/bgxz"), people["drafter"], "进场项目登记表")
    submit_for_review(page=article, actor=people["drafter"])
    assert not reload(article).live
    approve(reload(article), people["head"], comment="同意")
    assert not reload(article).live
    approve(reload(article), people["group"])
    assert not reload(article).live
    approve(reload(article), people["leader"], comment="同意发布")
    assert not reload(article).live
    approve(reload(article), people["publisher"], comment="已核对")
    article = reload(article)
    assert article.live and article.first_published_at is not None

    record = PublicationRecord.objects.get(page=article)
    assert record.title == "进场项目登记表" and record.column_title == "表格下载"
    assert record.department.name == "建设工程交易科"
    assert record.drafter == people["drafter"] and record.publisher == people["publisher"]
    assert [s["task"] for s in record.steps] == [
        "科室负责人初审", "信息发布管理小组审核", "分管领导审核签发", "信息发布员发布",
    ]  # fmt: skip
    assert [s["user"] for s in record.steps] == [
        people[k].pk for k in ("head", "group", "leader", "publisher")
    ]
    assert record.steps[0]["comment"] == "同意"
    # The group's checklist is in the record (网站管理制度 第十四条 (八); 一(四) 9).
    assert any("知识产权" in item for item in record.steps[1]["confirmations"])
    assert record.steps[0]["confirmations"] == []
    assert len(record.content_sha256) == 64
    with pytest.raises(PermissionDenied):
        record.save()  # immutable
    from ggzy.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="publishing.record.created")
    assert event.actor_id == people["publisher"].pk and event.object_id == str(record.pk)


def test_the_trading_chain_goes_through_the_review_group(people):
    article = draft_article(column("jyxx/jsgc/zbgg"), people["drafter"], "某工程招标公告")
    submit_for_review(page=article, actor=people["drafter"])
    approve(reload(article), people["head"])
    with pytest.raises(PermissionDenied, match="不在本环节"):
        approve(reload(article), people["publisher"])  # 审核制度 (四): the group first
    approve(reload(article), people["group"])
    approve(reload(article), people["publisher"])
    assert reload(article).live


def test_head_cannot_approve_own_submission(people):
    own = draft_article(column("zlxz/bgxz"), people["head"], "科室负责人自己写的")
    submit_for_review(page=own, actor=people["head"])
    with pytest.raises(PermissionDenied, match="不能审核或发布本人"):
        approve(reload(own), people["head"])
    assert reload(own).current_workflow_task.name == "科室负责人初审"


def test_head_of_another_department_cannot_approve(people):
    article = draft_article(column("zlxz/bgxz"), people["drafter"])
    submit_for_review(page=article, actor=people["drafter"])
    with pytest.raises(PermissionDenied, match="只能审核本科室"):
        approve(reload(article), people["other_head"])
    task = reload(article).current_workflow_task.specific
    assert task.get_actions(reload(article), people["other_head"]) == []
    assert task.get_task_states_user_can_moderate(people["other_head"]).count() == 0
    assert task.get_task_states_user_can_moderate(people["head"]).count() == 1


def test_one_person_cannot_approve_two_steps(people):
    both = make_user(R.REVIEW_GROUP, department="zonghe")
    both.groups.add(make_user(R.PUBLISHER).groups.get())
    article = draft_article(column("zlxz/bgxz"), people["drafter"])
    submit_for_review(page=article, actor=people["drafter"])
    approve(reload(article), people["head"])
    approve(reload(article), both)
    approve(reload(article), people["leader"])
    with pytest.raises(PermissionDenied, match="两个环节"):
        approve(reload(article), both)
    assert not reload(article).live


def test_reviewers_outside_the_step_group_are_refused(people):
    article = draft_article(column("zlxz/bgxz"), people["drafter"])
    submit_for_review(page=article, actor=people["drafter"])
    for outsider in (people["publisher"], people["leader"], make_user(R.WEBSITE_ADMIN)):
        with pytest.raises(PermissionDenied, match="不在本环节"):
            approve(reload(article), outsider)


def test_rejection_sends_back_and_resubmission_continues(people):
    article = draft_article(column("zlxz/bgxz"), people["drafter"])
    submit_for_review(page=article, actor=people["drafter"])
    task_act(page=reload(article), actor=people["head"], action="reject", comment="请补充附件")
    article = reload(article)
    assert article.current_workflow_state.status == "needs_changes"
    assert not article.live


def test_drafting_is_scoped_to_the_columns_source_departments(people):
    # 表格下载's sources are the four trading departments; 综合科 is not one of them.
    outsider = make_user(R.DRAFTER, department="zonghe")
    assert not column("zlxz/bgxz").permissions_for_user(outsider).can_add_subpage()
    assert column("zlxz/bgxz").permissions_for_user(people["drafter"]).can_add_subpage()
    assert column("zwgk").permissions_for_user(outsider).can_add_subpage()  # 政务公开 ← 综合科
    article = draft_article(column("zlxz/bgxz"), people["drafter"])
    assert not article.permissions_for_user(outsider).can_edit()
    with pytest.raises(PermissionDenied):
        submit_for_review(page=article, actor=outsider)


def test_no_one_can_publish_outside_a_completed_chain(people, django_user_model):
    from io import StringIO

    from django.core.management import call_command

    call_command("setup_center", stdout=StringIO())
    superuser = django_user_model.objects.get(is_superuser=True)
    article = draft_article(column("zlxz/bgxz"), people["drafter"])
    for user in (superuser, people["publisher"], make_user(R.WEBSITE_ADMIN), people["head"]):
        tester = article.permissions_for_user(user)
        assert not tester.can_publish() and not tester.can_publish_subpage()
        with pytest.raises(PublishPagePermissionError):
            article.get_latest_revision().publish(user=user)
    assert not reload(article).live
    assert not column("zlxz/bgxz").permissions_for_user(superuser).can_publish()


def test_emergency_takedown_needs_the_role_and_a_reason(people):
    article = publish_article(column("zlxz/bgxz"), "已发布表格", department="jianshe")
    admin = make_user(R.WEBSITE_ADMIN)
    for user in (people["head"], people["drafter"], people["group"]):
        with pytest.raises(PermissionDenied):
            page_takedown(page=article, actor=user, reason="发现错误信息")
        assert not article.permissions_for_user(user).can_unpublish()
    assert not article.permissions_for_user(admin).can_unpublish()  # only through the takedown path
    with pytest.raises(ValidationError, match="撤下原因"):
        page_takedown(page=article, actor=admin, reason="  ")
    assert reload(article).live
    record = page_takedown(page=article, actor=admin, reason="含有错误的联系电话")
    assert not reload(article).live
    assert TakedownRecord.objects.get() == record and record.reason == "含有错误的联系电话"
    from ggzy.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="publishing.page.taken_down")
    assert event.actor_id == admin.pk and event.after == {"reason": "含有错误的联系电话"}


def test_explorer_listing_checks_department_scoping_per_column_not_per_page(client, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def scoping_queries(context):
        return [q for q in context.captured_queries if "portal_columnpolicy" in q["sql"]]

    target = column("zlxz/bgxz")
    for i in range(3):
        draft_article(target, people["drafter"], f"表格{i}")
    login_as(client, people["drafter"])
    url = f"/admin/pages/{target.pk}/"
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(3, 15):
        draft_article(target, people["drafter"], f"表格{i}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    # (Wagtail's own per-row delete checks are not ours to change.)
    assert len(scoping_queries(many)) == len(scoping_queries(few)) > 0


def test_screening_gates_submission_and_release(people):
    from ggzy.screening.selectors import unacknowledged_warnings
    from ggzy.screening.services import finding_acknowledge
    from ggzy.screening.tests.helpers import resident_id

    with_id = draft_article(
        column("zlxz/bgxz"), people["drafter"], "含身份证", f"<p>联系人 {resident_id()}</p>"
    )
    with pytest.raises(ValidationError, match=r"pii\.id_card"):
        submit_for_review(page=with_id, actor=people["drafter"])
    assert reload(with_id).current_workflow_state is None

    article = draft_article(column("zlxz/bgxz"), people["drafter"], "含手机号", "<p>咨询电话 13812345678</p>")
    submit_for_review(page=article, actor=people["drafter"])
    approve(reload(article), people["head"])
    approve(reload(article), people["group"])
    approve(reload(article), people["leader"])
    with pytest.raises(PermissionDenied, match="尚未经信息发布管理小组确认"):
        approve(reload(article), people["publisher"])
    assert not reload(article).live
    (warning,) = unacknowledged_warnings(page=reload(article))
    finding_acknowledge(
        page=reload(article), finding=warning, reason="中心公开咨询电话", actor=people["group"]
    )
    approve(reload(article), people["publisher"])
    record = PublicationRecord.objects.get(page=article)
    assert record.screening["acknowledgements"][0]["reason"] == "中心公开咨询电话"
    assert record.screening["findings"][0]["rule"] == "pii.mobile"
    assert "13812345678" not in str(record.screening)  # masked


def test_business_departments_draft_industry_news(people):
    # 信息传递制度 (三): 各业务科室 collect 行业动态 (行业信息 listed no source before).
    industry = column("zxdt/hyxx")
    for department in ("jianshe", "caigou", "chanquan", "guotu"):
        assert industry.permissions_for_user(make_user(R.DRAFTER, department=department)).can_add_subpage()
    assert not industry.permissions_for_user(make_user(R.DRAFTER, department="zonghe")).can_add_subpage()


def test_delete_move_copy_and_lock_follow_the_drafting_lane(people):
    """Issue 14 item 1: the lane that scopes editing scopes every page action;
    a submission in its chain is neither deleted nor moved, even by its drafter."""
    drafter, outsider = people["drafter"], make_user(R.DRAFTER, department="caigou")
    article = draft_article(column("jyxx/jsgc/zbgg"), drafter, "本科室草稿")
    own = article.permissions_for_user(drafter)
    assert own.can_delete() and own.can_move() and own.can_copy()
    assert own.can_move_to(column("jyxx/jsgc/zbgs"))
    assert not own.can_move_to(column("jyxx/zfcg/cggg"))  # not a column of 建设工程交易科
    other = article.permissions_for_user(outsider)
    assert not (other.can_delete() or other.can_move() or other.can_copy() or other.can_lock())
    assert not other.can_copy_to(column("jyxx/zfcg/cggg"))
    submit_for_review(page=article, actor=drafter)
    under_review = reload(article).permissions_for_user(drafter)
    assert not under_review.can_delete() and not under_review.can_move()
