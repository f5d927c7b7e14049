import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import Page

from ggzy.accounts.models import Department, User
from ggzy.center.services import DEFAULT_CENTER_DATA, setup_center
from ggzy.portal.models import ColumnPage, ColumnPolicy, HomePage

TOP_LEVEL = [
    "政务公开", "专题活动", "中心动态", "重要通知", "交易信息", "办事指南",
    "政策法规", "理论研究", "资料下载", "中心文化园地", "图片展示",
]  # fmt: skip


def counts():
    return (
        Page.objects.count(),
        ColumnPolicy.objects.count(),
        Department.objects.count(),
        Group.objects.count(),
        User.objects.count(),
    )


def run_setup() -> str:
    out = io.StringIO()
    call_command("setup_center", stdout=out)
    return out.getvalue()


@pytest.fixture
def empty_center(db):
    """Undo the session's pre-loaded center inside this test's transaction."""
    HomePage.objects.get().delete()
    Group.objects.all().delete()
    Department.objects.all().delete()
    assert not ColumnPage.objects.exists()


def test_setup_center_twice_creates_nothing_new(empty_center):
    first = run_setup()
    assert "7 departments, 13 roles, 36 column pages created" in first
    after_first = counts()
    second = run_setup()
    assert counts() == after_first
    assert "0 departments, 0 roles, 0 column pages created" in second
    assert "password:" in first
    assert "password:" not in second  # printed once only


@pytest.mark.django_db
def test_column_tree_matches_the_regulation_table():
    home = HomePage.objects.get()
    top = list(ColumnPage.objects.child_of(home).order_by("path").values_list("title", flat=True))
    assert top == TOP_LEVEL

    def children(*path):
        page = home
        for title in path:
            page = ColumnPage.objects.child_of(page).get(title=title)
        return list(ColumnPage.objects.child_of(page).order_by("path").values_list("title", flat=True))

    assert children("中心动态") == ["专题信息", "中心简报", "图片新闻", "行业信息"]
    assert children("交易信息") == ["建设工程", "政府采购", "产权交易", "国土交易"]
    assert children("交易信息", "建设工程") == ["招标公告", "拦标、资格预审公示", "中标公示"]
    assert children("交易信息", "政府采购") == ["采购公告", "变更公告", "结果公告"]
    assert children("交易信息", "产权交易") == ["转让公告", "成交公示"]
    assert children("交易信息", "国土交易") == ["出让公告", "结果公示"]
    assert children("办事指南") == ["服务指南", "业务流程", "操作规程"]
    assert children("政策法规") == ["国家级", "省级", "市级"]
    assert children("资料下载") == ["表格下载"]
    assert ColumnPage.objects.count() == ColumnPolicy.objects.count() == 36


@pytest.mark.django_db
def test_column_policies_carry_the_table_values():
    industry = ColumnPolicy.objects.get(column__title="行业信息")
    assert industry.get_update_time_limit_display() == "每天更新发布4篇"
    assert "中国政府采购网" in industry.external_sources
    bidding = ColumnPolicy.objects.get(column__title="招标公告")
    assert bidding.get_update_time_limit_display() == "审核无误即时发布"
    assert list(bidding.source_departments.values_list("name", flat=True)) == ["建设工程交易科"]
    overview = ColumnPolicy.objects.get(column__title="政务公开")
    assert overview.layout_requirement == "宋体 4号 黑色字体 行间距固定值22磅"
    assert list(overview.source_departments.values_list("name", flat=True)) == ["综合科"]
    assert ColumnPolicy.objects.get(column__title="理论研究").update_time_limit == "daily"


@pytest.mark.django_db
def test_departments_and_roles_are_seeded():
    assert set(Department.objects.values_list("name", flat=True)) == {
        "综合科", "信息科", "交易监督科", "建设工程交易科", "政府采购交易科", "产权交易科", "国土交易科",
    }  # fmt: skip
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "信息员(起草人)", "科室负责人", "信息发布管理小组", "分管领导", "信息发布员", "网站管理员",
        "网络管理员", "机房管理员", "监控管理员", "系统管理员", "安全管理员", "审计管理员",
    }  # fmt: skip


@pytest.mark.django_db
def test_edited_policy_survives_a_rerun():
    policy = ColumnPolicy.objects.get(column__title="政务公开")
    policy.font_size = "小四"
    policy.save()
    run_setup()
    policy.refresh_from_db()
    assert policy.font_size == "小四"


@pytest.mark.django_db
def test_first_admin_is_the_only_superuser_and_a_system_admin():
    out = run_setup()
    admin = User.objects.get(is_superuser=True)
    assert re.search(rf"user name: {admin.username}", out)
    password = re.search(r"password:\s+(\S+)", out).group(1)
    assert len(password) >= 16 and admin.check_password(password)
    assert admin.must_change_password
    assert admin.role_keys() == {"system_admin"}
    assert admin.department.name == "信息科"


@pytest.mark.django_db
def test_setup_center_rejects_a_broken_data_file(tmp_path: Path):
    broken = tmp_path / "center.toml"
    broken.write_text(
        DEFAULT_CENTER_DATA.read_text(encoding="utf-8").replace('type = "trading"', 'type = "x"', 1)
    )
    before = counts()
    with pytest.raises(CommandError, match="unknown type"):
        call_command("setup_center", "--data", str(broken))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("setup_center", "--data", str(tmp_path / "missing.toml"))
    (tmp_path / "bad.toml").write_text("[center\n")
    with pytest.raises(CommandError, match="not valid TOML"):
        call_command("setup_center", "--data", str(tmp_path / "bad.toml"))
    assert counts() == before


@pytest.mark.django_db
def test_setup_is_atomic_when_a_late_step_fails(center_data):
    data = {**center_data, "roles": [*center_data["roles"]]}
    data["roles"].append({"key": "system_admin", "name": "x", "permissions": ["nope.nothing"]})
    before = counts()
    with pytest.raises(ValueError, match="unknown permission"):
        setup_center(data=data)
    assert counts() == before


@pytest.mark.django_db
def test_rerun_fixes_an_install_made_before_issue_21_and_keeps_pages_in_flight():
    """An install made with the old data: the trading chain without the 信息发布管理小组
    step, 资料下载 on the default chain, 行业信息 without source departments."""
    from wagtail.models import Workflow, WorkflowPage, WorkflowTask

    from ggzy.accounts.choices import RoleKey as R
    from ggzy.accounts.tests.factories import make_user
    from ggzy.audit.models import AuditEvent
    from ggzy.portal.tests.factories import column
    from ggzy.publishing.services import submit_for_review
    from ggzy.publishing.tests.factories import approve, draft_article

    trading = Workflow.objects.get(name="交易公告公示发布流程")
    WorkflowTask.objects.filter(workflow=trading, task__name="信息发布管理小组审核").delete()
    WorkflowPage.objects.filter(page=column("zlxz")).delete()
    ColumnPolicy.objects.get(column__title="行业信息").source_departments.clear()
    drafter = make_user(R.DRAFTER, department="jianshe")
    head = make_user(R.DEPARTMENT_HEAD, department="jianshe")
    in_flight = draft_article(column("jyxx/jsgc/zbgg"), drafter, "在途公告")
    submit_for_review(page=in_flight, actor=drafter)
    state = in_flight.current_workflow_state

    run_setup()
    steps = [t.name for t in trading.tasks.order_by("workflow_tasks__sort_order")]
    assert steps == ["科室负责人审核", "信息发布管理小组审核", "信息发布员发布"]
    assert column("zlxz/bgxz").get_workflow().name == "分管领导审核签发流程"
    industry = ColumnPolicy.objects.get(column__title="行业信息")
    assert set(industry.source_departments.values_list("code", flat=True)) == {
        "jianshe", "caigou", "chanquan", "guotu",
    }  # fmt: skip
    assert AuditEvent.objects.filter(action="publishing.workflow.step_added").count() == 1

    # The page in flight keeps its workflow state and now goes through the group.
    in_flight = type(in_flight).objects.get(pk=in_flight.pk)
    assert in_flight.current_workflow_state == state
    approve(in_flight, head)
    assert type(in_flight).objects.get(pk=in_flight.pk).current_workflow_task.name == "信息发布管理小组审核"

    # A second run changes nothing; a source list the 网站管理员 set is kept.
    industry.source_departments.set(Department.objects.filter(code="caigou"))
    before = counts()
    run_setup()
    assert counts() == before
    assert AuditEvent.objects.filter(action="publishing.workflow.step_added").count() == 1
    assert list(industry.source_departments.values_list("code", flat=True)) == ["caigou"]


@pytest.mark.django_db
def test_a_step_naming_an_unknown_checklist_is_refused(tmp_path: Path):
    broken = tmp_path / "center.toml"
    broken.write_text(
        DEFAULT_CENTER_DATA.read_text(encoding="utf-8").replace('checklist = "group"', 'checklist = "x"', 1)
    )
    with pytest.raises(CommandError, match="unknown checklist 'x'"):
        call_command("setup_center", "--data", str(broken))


# --------------------------------------------------------------------------- issue 14 item 5


@pytest.mark.django_db
def test_no_group_outside_the_twelve_roles_holds_any_permission():
    """Wagtail's stock groups and workflow are gone (the publishing migration
    0003); nothing but the center's roles carries page, collection or model rights."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupCollectionPermission, GroupPagePermission, Workflow

    from ggzy.accounts.models import Role

    assert Role.objects.count() == 13
    others = Group.objects.exclude(pk__in=Role.objects.values("group"))
    assert not GroupPagePermission.objects.filter(group__in=others).exists()
    assert not GroupCollectionPermission.objects.filter(group__in=others).exists()
    assert not Permission.objects.filter(group__in=others).exists()
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()
    assert not Workflow.objects.filter(name="Moderators approval").exists()


@pytest.mark.django_db
def test_removing_the_stock_groups_is_idempotent():
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow

    migration = importlib.import_module("ggzy.publishing.migrations.0004_remove_wagtail_stock_groups")
    moderators = Group.objects.create(name="Moderators")
    moderators.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=moderators,
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(codename="publish_page"),
    )
    task = GroupApprovalTask.objects.create(name="Moderators approval")
    task.groups.add(moderators)
    Workflow.objects.create(name="Moderators approval").workflow_tasks.create(task=task, sort_order=0)
    for _ in range(2):
        migration.remove_stock_groups(apps, None)
    assert not Group.objects.filter(name="Moderators").exists()
    assert not Workflow.objects.filter(name="Moderators approval").exists()


@pytest.mark.django_db
def test_only_the_website_admin_creates_columns(client):
    """A 信息员 drafts items in their columns; columns (栏目设置, 网站管理制度 第九条)
    are the 网站管理员's: neither created nor copied by anyone else."""
    from django.urls import reverse

    from ggzy.accounts.choices import RoleKey as R
    from ggzy.accounts.tests.factories import login_as, make_user
    from ggzy.core.tests.access import is_refusal
    from ggzy.portal.tests.factories import column

    parent = column("jyxx/jsgc")
    add_column = reverse("wagtailadmin_pages:add", args=["portal", "columnpage", parent.pk])
    for role in (R.DRAFTER, R.PUBLISHER):
        user = make_user(role, department="jianshe")
        login_as(client, user)
        assert is_refusal(client.get(add_column)), role
        response = client.post(add_column, {"title": "新栏目", "slug": "xinlanmu", "intro": ""})
        assert is_refusal(response), role
        assert not parent.get_children().filter(slug="xinlanmu").exists()
        assert not column("jyxx/jsgc/zbgg").permissions_for_user(user).can_copy(), role
        # Items in their column: still theirs to draft.
        assert (
            client.get(
                reverse("wagtailadmin_pages:add", args=["portal", "articlepage", column("jyxx/jsgc/zbgg").pk])
            ).status_code
            == 200
        )
    login_as(client, make_user(R.WEBSITE_ADMIN))
    assert client.get(add_column).status_code == 200
