"""`make demo` (issue 20): bin/ggzy demo_fill fills a fresh state through the intake API
and the approval chains; it refuses production and a database with real content, and
`make demo` refuses GGZY_ENV=production before doing anything."""

import io
import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, WorkflowState

from ggzy.accounts import services as accounts
from ggzy.accounts.choices import SEPARATED_ADMIN_ROLES, RoleKey
from ggzy.accounts.models import Department, User
from ggzy.audit.models import AuditEvent
from ggzy.center.demo import ARTICLE_PLAN, PASSWORD_FILE, load_demo_data
from ggzy.notices.choices import NoticeKind
from ggzy.notices.models import ApiCallLog, ApiToken, IntakeNotice, NoticePage
from ggzy.notices.selectors import bid_schedule
from ggzy.portal.checks import guide_missing
from ggzy.portal.models import ArticlePage, SiteIdentity
from ggzy.publishing.models import PublicationRecord

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]

# At --scale 1: 30 notices (16 建设工程, 9 政府采购, 3 产权, 2 国土) in 18 projects; 20 articles.
NOTICES_AT_SCALE_1 = 30
ARTICLES_AT_SCALE_1 = 20


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


@pytest.fixture
def sysadmin():
    # As `make demo` runs setup_center first: the first 系统管理员 exists.
    user, _password = accounts.bootstrap_admin_ensure(
        username="sysadmin", department=Department.objects.get(code="xinxi")
    )
    return user


def fill(*args) -> str:
    out = io.StringIO()
    call_command("demo_fill", "--scale", "1", *args, stdout=out)
    return out.getvalue()


def test_the_fill_goes_through_the_intake_api_and_the_chains(var_dir, sysadmin):
    output = fill()
    data = load_demo_data()

    # People of every role; 三权分立 holds (three different people).
    demo_users = User.objects.exclude(username__startswith="api.").exclude(pk=sysadmin.pk)
    assert demo_users.count() == len(data["people"]["users"])
    held = {key for user in User.objects.all() for key in user.role_keys()}
    assert held == set(RoleKey.values)
    for key in SEPARATED_ADMIN_ROLES:
        holders = [u for u in User.objects.all() if key in u.role_keys()]
        assert len(holders) == 1 and not (holders[0].role_keys() - {key})
    created = AuditEvent.objects.filter(action="accounts.user.created", actor_id=sysadmin.pk)
    assert created.count() == demo_users.count()

    # Passwords: once, in a 0600 file under the state's var dir, never on the screen.
    password_file = Path(var_dir) / PASSWORD_FILE
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    rows = [line.split("\t") for line in password_file.read_text().splitlines() if not line.startswith("#")]
    assert {row[0] for row in rows} == set(demo_users.values_list("username", flat=True))
    for username, _name, _department, _roles, password in rows:
        assert password not in output
        user = User.objects.get(username=username)
        assert user.check_password(password) and user.must_change_password

    # Every notice came through the intake API: a 201 in its call log and in the audit chain.
    assert Page.objects.type(NoticePage).count() == IntakeNotice.objects.count() == NOTICES_AT_SCALE_1
    assert {i.kind for i in IntakeNotice.objects.all()} == set(NoticeKind.values)
    created_calls = ApiCallLog.objects.filter(status=201)
    assert sorted(created_calls.values_list("external_id", flat=True)) == sorted(
        IntakeNotice.objects.values_list("external_id", flat=True)
    )
    audited = AuditEvent.objects.filter(action="notices.api.called", outcome="success")
    assert audited.count() == created_calls.count()
    assert ApiToken.objects.filter(name__in=data["tokens"].values()).count() == 4
    # Some projects carry the whole sequence under one project code.
    codes = {}
    for intake in IntakeNotice.objects.select_related("page"):
        codes.setdefault(intake.page.specific.project_code, set()).add(intake.kind)
    assert {
        "construction.tender",
        "construction.prequalification",
        "construction.candidates",
        "construction.result",
    } in codes.values()
    assert {"procurement.tender", "procurement.change"} in codes.values()

    # Every published item has its record with each step's approver; the notices were
    # drafted by the tokens' service users, the articles by 信息员.
    live = Page.objects.live().type(NoticePage, ArticlePage)
    records = {r.page_id: r for r in PublicationRecord.objects.all()}
    assert set(live.values_list("pk", flat=True)) == set(records)
    for page in live.specific():
        record = records[page.pk]
        tasks = [t.name for t in page.get_workflow().tasks.order_by("workflow_tasks__sort_order")]
        assert [s["task"] for s in record.steps] == tasks
        assert all(s["user"] for s in record.steps)
        assert RoleKey.PUBLISHER in record.publisher.role_keys()
        if isinstance(page, NoticePage):
            assert record.drafter.username.startswith("api.")
            assert RoleKey.DEPARTMENT_HEAD in User.objects.get(pk=record.steps[0]["user"]).role_keys()
        else:
            # 信息员, or the 网站管理员 in a column no department supplies.
            assert record.drafter.role_keys() in ({RoleKey.DRAFTER}, {RoleKey.WEBSITE_ADMIN})
        if len(tasks) == 4:  # the 分管领导 chain
            assert RoleKey.LEADER in User.objects.get(pk=record.steps[2]["user"]).role_keys()

    # Articles in every planned column; guides complete, pictures and downloads in place.
    articles = ArticlePage.objects.all()
    assert articles.count() == ARTICLES_AT_SCALE_1
    assert {a.get_parent().slug for a in articles} == {path.split("/")[-1] for path in ARTICLE_PLAN}
    for article in articles:
        slug = article.get_parent().slug
        if slug in {"fwzn", "ywlc", "czgc"}:
            assert guide_missing(article.body) == []
        if slug == "tpxw":
            assert 'embedtype="image"' in article.body
        if slug == "bgxz":
            assert 'linktype="document"' in article.body
    # Work left on the dashboards: waiting steps and one item sent back.
    assert WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).count() >= 3
    assert WorkflowState.objects.filter(status=WorkflowState.STATUS_NEEDS_CHANGES).count() == 1

    # The identity says it is a demo; the site is built and the screens written.
    identity = SiteIdentity.objects.get()
    assert "演示" in identity.site_name and identity.domain == "127.0.0.1:8000" and not identity.missing()
    home = (Path(settings.PUBLISH_ROOT) / "index.html").read_text()
    assert identity.site_name in home
    assert any(n.title in home for n in Page.objects.live().type(NoticePage))
    assert not bid_schedule().empty  # openings today and in the next working days
    screens = list(Path(settings.SCREENS_ROOT).glob("*/data.json"))
    assert len(screens) == 2 and all(json.loads(p.read_text()) for p in screens)

    assert f"{live.count()} items published" in output
    assert "construction.candidates" in output and " s (" in output

    # A second run changes nothing and says so.
    again = fill()
    assert "nothing to do" in again and "already holds the demo content" in again
    assert Page.objects.type(NoticePage).count() == NOTICES_AT_SCALE_1
    assert ArticlePage.objects.count() == ARTICLES_AT_SCALE_1


def test_refused_in_production(settings, var_dir):
    settings.GGZY_ENV = "production"
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run with GGZY_ENV=production"):
        fill()
    assert not User.objects.exists() and not ApiToken.objects.exists()
    assert not (Path(var_dir) / PASSWORD_FILE).exists()


def test_refused_on_a_database_with_real_content(var_dir, sysadmin):
    accounts.user_create(
        username="wangfang",
        department=Department.objects.get(code="zonghe"),
        password="Xq7#mVt2pLw9!kR4",
        groups=[accounts.role_group(RoleKey.DRAFTER)],
        actor=sysadmin,
    )
    with pytest.raises(CommandError, match="did not make"):
        fill()
    assert (
        User.objects.count() == 2
        and not ApiToken.objects.exists()
        and not Page.objects.type(NoticePage).exists()
    )
    assert not (Path(var_dir) / PASSWORD_FILE).exists()


def _make(*args, tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "GGZY_ENV"))}
    return subprocess.run(
        ["make", "--no-print-directory", *args, f"DEMO_VAR_DIR={tmp_path / 'demo'}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_demo_refuses_production_before_anything(tmp_path):
    done = _make("demo", "GGZY_ENV=production", tmp_path=tmp_path)
    assert done.returncode != 0
    assert "make demo refuses GGZY_ENV=production" in done.stderr
    assert not (tmp_path / "demo").exists()


def test_make_run_never_fills_and_make_demo_uses_its_own_state(tmp_path):
    run = _make("-n", "run", tmp_path=tmp_path)
    assert run.returncode == 0 and "demo_fill" not in run.stdout and "var/demo" not in run.stdout
    demo = _make("-n", "demo", tmp_path=tmp_path)
    lines = demo.stdout.replace("\\\n", " ").splitlines()  # recipe lines continued with a backslash
    fill_line = next(line for line in lines if "demo_fill" in line)
    assert f"GGZY_VAR_DIR={tmp_path / 'demo'}" in fill_line and "DATABASE_URL= " in fill_line
    serve_line = next(line for line in lines if "bin/serve" in line)
    assert f"GGZY_VAR_DIR={tmp_path / 'demo'}" in serve_line
