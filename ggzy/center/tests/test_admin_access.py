"""Who may open each admin screen, for the whole center (issue 13 §5, issue 14
item 4): the table below is the one place where the expected access of every
admin URL that ggzy serves is declared. One test walks it for anonymous and the
12 roles; one checks the constrained cases; a meta-test fails when an admin URL
is missing from the table; the crawl opens every link of every role's admin menu
(and the superuser's) and fails on any server error. The base is
``ggzy/core/tests/access.py``; docs/architecture.md ("Access tests") says how
to add a screen."""

import datetime as dt
import io
import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.models import PasswordPolicy, User
from ggzy.accounts.services import user_change_own_password
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.services import grant_decide, grant_request
from ggzy.center.services import setup_center
from ggzy.compliance.models import Occurrence
from ggzy.compliance.services import followup_create, occurrence_complete
from ggzy.core.models import CalendarDay, CalendarYear
from ggzy.core.tests.access import (
    ROLES,
    Constrained,
    Principals,
    Screen,
    admin_menu_urls,
    check_constrained,
    check_screen,
    crawl,
    ggzy_admin_patterns,
    role_principals,
    roles,
    server_errors,
)
from ggzy.departures.choices import DepartureKind
from ggzy.departures.services import departure_start
from ggzy.ingest.services import spreadsheet_table_create, spreadsheet_upload
from ggzy.notices.services import api_call_log, api_token_create
from ggzy.portal.models import ColumnPolicy
from ggzy.portal.tests.factories import column
from ggzy.publishing.models import PublicationRecord
from ggzy.publishing.services import page_takedown
from ggzy.publishing.tests.factories import draft_article
from ggzy.screening.models import LexiconEntry
from ggzy.screening.tests import documents
from ggzy.screening.tests.helpers import publish_through_chain
from ggzy.sitebuild.models import TamperCheck
from ggzy.suspensions.tests.factories import schedule_notice

PASSWORD = "Crawl-Passw0rd!2026-x"


@pytest.fixture(scope="module")
def setting():
    """What the root conftest's function-scoped fixtures set, for the module's
    shared data: fast hashing, and files in a temporary directory."""
    root = Path(tempfile.mkdtemp(prefix="ggzy-access-"))
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=root / "media",
        PUBLISH_ROOT=root / "site",
        SITE_MANIFEST_PATH=root / "site-manifest.sqlite3",
    ):
        yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(autouse=True)
def _media_root(setting, settings):
    """The files of the module's world (evidence a screen serves) stay where the
    world stored them: the module's directory, not each test's own."""
    settings.MEDIA_ROOT = setting / "media"


def build_world(center_data) -> tuple[dict, Principals]:
    """One object behind every admin URL that takes an id, the 12 role users,
    the bootstrap superuser and the constrained principals, logged in."""
    principals = role_principals(department="jianshe")
    system_admin = principals.users[R.SYSTEM_ADMIN]

    # The bootstrap 系统管理员 (a superuser), as setup_center creates it, past its first password change.
    setup_center(data=center_data, create_admin=True)
    superuser = User.objects.get(is_superuser=True)
    user_change_own_password(actor=superuser, new_password=PASSWORD)
    principals.add("superuser", superuser)

    drafter = make_user(R.DRAFTER, department="jianshe")
    live, publisher = publish_through_chain(
        draft_article(column("jyxx/jsgc/zbgg"), drafter, "招标公告"), drafter
    )
    gone, _ = publish_through_chain(draft_article(column("jyxx/jsgc/zbgg"), drafter, "撤下的公告"), drafter)
    takedown = page_takedown(page=gone, actor=publisher, reason="内容有误需撤下")
    draft = draft_article(column("jyxx/jsgc/zbgg"), drafter, "草稿")
    source, _ = spreadsheet_upload(
        upload=SimpleUploadedFile("开标记录.xlsx", documents.tender_workbook()), actor=drafter
    )
    table = spreadsheet_table_create(
        source=source, sheet="开标记录", caption="开标记录表", header_rows=1, actor=drafter
    )

    departure = departure_start(
        user=make_user(R.DRAFTER, department="jianshe"), kind=DepartureKind.TRANSFER, actor=system_admin
    )
    auditor = principals.users[R.AUDIT_ADMIN]
    now = timezone.now()
    grant = grant_request(
        actor=auditor,
        purpose="月度审查",
        valid_from=now - dt.timedelta(minutes=1),
        valid_until=now + dt.timedelta(hours=8),
    )
    token, _ = api_token_create(name="交易系统", kinds=["construction.tender"], actor=system_admin)
    call = api_call_log(
        token=token, method="POST", path="/api/v1/notices/", status=201, kind="construction.tender"
    )

    granted = make_user(R.AUDIT_ADMIN, department="xinxi")
    grant_decide(
        grant=grant_request(
            actor=granted,
            purpose="季度审查",
            valid_from=now - dt.timedelta(minutes=1),
            valid_until=now + dt.timedelta(hours=8),
        ),
        actor=principals.users[R.SECURITY_ADMIN],
        approve=True,
    )
    principals.add("auditor_with_grant", granted)
    principals.add("head_of_other_department", make_user(R.DEPARTMENT_HEAD, department="caigou"))
    principals.add("drafter_of_other_department", make_user(R.DRAFTER, department="caigou"))
    principals.add("drafter_of_the_department", make_user(R.DRAFTER, department="jianshe"))

    world = {
        "live_page": live,
        "draft_page": draft,
        "record": PublicationRecord.objects.get(page=live),
        "takedown": takedown,
        "source": source,
        "table": table,
        "departure": departure,
        "departure_item": departure.items.first(),
        "grant": grant,
        "token": token,
        "call": call,
        "calendar_day": CalendarDay.objects.first()
        or CalendarDay.objects.create(date=dt.date(2026, 10, 1), kind="holiday", name="国庆节"),
        "calendar_year": CalendarYear.objects.first() or CalendarYear.objects.create(year=2026),
        "password_policy": PasswordPolicy.objects.create(),
        "column_policy": ColumnPolicy.objects.first(),
        "suspension": schedule_notice(
            starts_at=now + dt.timedelta(days=30),
            ends_at=now + dt.timedelta(days=30, hours=4),
            actor=principals.users[R.WEBSITE_ADMIN],
        ),
        "tamper_check": TamperCheck.objects.create(root="/srv/ggzy/site", files_checked=7, intact=True),
        "user": drafter,
        "lexicon_entry": LexiconEntry.objects.create(category="rumour", term="惊天内幕"),
        **compliance_world(principals),
    }
    return world, principals


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


def compliance_world(principals: Principals) -> dict:
    """An open occurrence of the 网络管理员's quarterly asset check (as setup_center
    generated it) and a completed one with a photo as evidence."""
    ledger = Occurrence.objects.filter(obligation__key="wh-asset-ledger").order_by("due_on")
    done = occurrence_complete(
        occurrence=ledger[0],
        actor=principals.users[R.NETWORK_ADMIN],
        answers={"discrepancies": 0},
        files=[SimpleUploadedFile("台账.png", _png(), content_type="image/png")],
    )
    keeper = principals.users[R.NETWORK_ADMIN]
    found = occurrence_complete(
        # An earlier quarter of its own, so that the due occurrence above stays due.
        occurrence=Occurrence.objects.create(obligation=ledger[0].obligation, due_on=dt.date(2020, 3, 31)),
        actor=keeper,
        answers={"discrepancies": 2},
        files=[SimpleUploadedFile("台账.png", _png(), content_type="image/png")],
    )
    followup = followup_create(
        occurrence=found,
        actor=keeper,
        action="补录台账",
        owner=keeper,
        due_on=dt.date.today() + dt.timedelta(days=30),
    )
    return {
        "clause_key": "wh.1.3",
        "occurrence": ledger.filter(state="due").first(),
        "attachment": done.attachments.get(),
        "found_occurrence": found,
        "followup": followup,
    }


@pytest.fixture(scope="module")
def world(setting, django_db_setup, django_db_blocker, center_data):
    """Built once for the module inside a transaction that is rolled back at
    its end; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(center_data)
        transaction.set_rollback(True)


# --------------------------------------------------------------------------- the table

ALL = roles(*ROLES)
SYS, SEC, AUD = R.SYSTEM_ADMIN, R.SECURITY_ADMIN, R.AUDIT_ADMIN
WEB, PUB, DRAFT, HEAD, GROUP = R.WEBSITE_ADMIN, R.PUBLISHER, R.DRAFTER, R.DEPARTMENT_HEAD, R.REVIEW_GROUP
# Roles that may open a page of the 建设工程交易科 draft (its drafters, the publisher, the
# 网站管理员 who edits any page) or acknowledge its findings (信息发布管理小组).
PAGE_EDITORS = roles(DRAFT, PUB, WEB)


def viewset(namespace: str, allowed: dict[str, frozenset[str]], obj: str, **per_view) -> list[Screen]:
    """The screens of one Wagtail viewset: ``allowed`` maps its view names to
    roles; views that take the object's pk get ``obj``; ``per_view`` overrides."""
    entries = []
    for view, who in allowed.items():
        takes_pk = view not in ("index", "index_results", "add")
        extra = per_view.get(view, {})
        entries.append(Screen(f"{namespace}:{view}", who, args=(obj,) if takes_pk else (), **extra))
    return entries


SCREENS: list[Screen] = [
    # ---- accounts: the user's own gates (密码、口令管理制度; 网络安全管理办法 七)
    Screen("accounts_password_change", ALL),
    Screen("accounts_mfa_setup", ALL, served=(302,), note="enrolled and verified: sent on to the dashboard"),
    Screen("accounts_mfa_verify", ALL),
    Screen("accounts_mfa_recovery_codes", ALL),
    # ---- accounts: account security and departures (系统管理员; 人员离岗离职信息安全管理规定)
    Screen("accounts_security", roles(SYS)),
    Screen("accounts_unlock", roles(SYS), method="post", served=(302,)),
    Screen("accounts_reset_mfa", roles(SYS), method="post", served=(302,)),
    Screen("departures_index", roles(SYS, HEAD)),
    Screen("departures_new", roles(SYS)),
    Screen("departures_detail", roles(SYS, HEAD), args=("departure",), hidden=True),
    Screen("departures_pdf", roles(SYS, HEAD), args=("departure",), hidden=True),
    Screen(
        "departures_sign_off",
        roles(SYS, HEAD),
        args=("departure", "departure_item"),
        method="post",
        served=(302,),
        hidden=True,
    ),
    Screen(
        "departures_add_item",
        roles(SYS, HEAD),
        args=("departure",),
        method="post",
        served=(302,),
        hidden=True,
    ),
    Screen(
        "departures_acknowledge",
        roles(SYS, HEAD),
        args=("departure",),
        method="post",
        served=(302,),
        hidden=True,
    ),
    Screen(
        "departures_finish",
        roles(SYS, HEAD),
        args=("departure",),
        method="post",
        served=(302,),
        hidden=True,
    ),
    *viewset(
        "wagtailusers_users",
        {
            "index": roles(SYS, SEC),
            "index_results": roles(SYS, SEC),
            "add": roles(SYS),
            "edit": roles(SYS),
            "delete": roles(),
            "history": roles(SYS),
            "history_results": roles(SYS),
            "usage": roles(SYS),
            "copy": roles(SYS),
        },
        "user",
    ),
    *viewset(
        "password_policy",
        {
            "index": roles(SEC),
            "index_results": roles(SEC),
            "add": roles(SEC),
            "edit": roles(SEC),
            "delete": roles(),
            "history": roles(SEC),
            "history_results": roles(SEC),
            "usage": roles(SEC),
        },
        "password_policy",
        add={"served": (302,)},
    ),
    # ---- audit (网络安全管理办法 五: the 审计管理员 reads with a grant the 安全管理员 approved)
    Screen("audit_events", roles()),
    Screen("audit_events_export", roles()),
    Screen("audit_reviews", roles()),
    Screen("audit_grants", roles(AUD, SEC)),
    Screen("audit_grant_decide", roles(SEC), args=("grant",), method="post", served=(302,)),
    Screen("audit_grant_revoke", roles(SEC), args=("grant",), method="post", served=(302,)),
    # ---- core: the working-day calendar (网站管理员)
    *viewset(
        "calendar_days",
        {
            v: roles(WEB)
            for v in (
                "index",
                "index_results",
                "add",
                "edit",
                "delete",
                "history",
                "history_results",
                "usage",
            )
        },
        "calendar_day",
    ),
    *viewset(
        "calendar_years",
        {
            **{
                v: roles(WEB)
                for v in ("index", "index_results", "add", "edit", "history", "history_results", "usage")
            },
            "delete": roles(),
        },
        "calendar_year",
    ),
    # ---- screening: tables in the editor, findings, Word import, the lexicon
    Screen("ingest_table_chooser", roles(DRAFT, PUB)),
    Screen("ingest_table_chooser_sheet", roles(DRAFT, PUB), args=("source",)),
    Screen("ingest_table_chooser_edit", roles(DRAFT, PUB), args=("table",)),
    Screen("screening_page_findings", PAGE_EDITORS | roles(GROUP), args=("draft_page",)),
    Screen("ingest_import_docx", PAGE_EDITORS, args=("draft_page",)),
    *viewset(
        "screening_lexicon",
        {
            v: roles(WEB)
            for v in (
                "index",
                "index_results",
                "add",
                "edit",
                "delete",
                "history",
                "history_results",
                "usage",
            )
        },
        "lexicon_entry",
    ),
    Screen("screening_lexicon:import", roles(WEB)),  # 导入词表 (screening.add_lexiconentry)
    # ---- portal: column policies (网站管理员)
    *viewset(
        "column_policies",
        {
            **{
                v: roles(WEB)
                for v in ("index", "index_results", "edit", "history", "history_results", "usage", "inspect")
            },
            "add": roles(),
            "delete": roles(),
        },
        "column_policy",
    ),
    # ---- publishing: takedown, the publication log, takedown records
    Screen("publishing_takedown", roles(WEB, PUB), args=("live_page",)),
    Screen("publishing_record_pdf", roles(WEB, PUB), args=("record",)),
    *viewset(
        "publication_records",
        {
            **{v: roles(WEB, PUB) for v in ("index", "index_results", "inspect")},
            **{v: roles() for v in ("history", "history_results", "usage")},
        },
        "record",
    ),
    *viewset(
        "takedown_records",
        {
            **{v: roles(WEB) for v in ("index", "index_results", "inspect")},
            **{v: roles() for v in ("history", "history_results", "usage")},
        },
        "takedown",
    ),
    # ---- notices: intake API tokens and the call log (系统管理员)
    *viewset(
        "notices_api_tokens",
        {
            v: roles(SYS)
            for v in (
                "index",
                "index_results",
                "add",
                "edit",
                "history",
                "history_results",
                "usage",
                "inspect",
            )
        },
        "token",
    ),
    *viewset(
        "notices_api_calls",
        {
            **{v: roles(SYS) for v in ("index", "index_results", "inspect")},
            **{v: roles() for v in ("history", "history_results", "usage")},
        },
        "call",
    ),
    # ---- suspensions (网站管理员; 网络安全管理办法 二(十一))
    *viewset(
        "suspension_notices",
        {
            v: roles(WEB)
            for v in (
                "index",
                "index_results",
                "add",
                "edit",
                "cancel",
                "history",
                "history_results",
                "usage",
                "inspect",
            )
        },
        "suspension",
    ),
    # ---- compliance (issue 21 §4): the overview and drill-down for the 安全管理员 and
    # 审计管理员; everyone's own duties; an occurrence and its evidence for its owner
    # role (网络管理员 here) and the two overseers, hidden from the others.
    Screen("compliance_overview", roles(SEC, AUD)),
    Screen("compliance_clause", roles(SEC, AUD), args=("clause_key",)),
    Screen("compliance_mine", ALL),
    Screen("compliance_calendar", ALL),
    Screen("compliance_feed", ALL, method="post", served=(302,)),
    Screen("compliance_report", roles(SEC, AUD)),
    Screen(
        "compliance_report_download", roles(SEC, AUD), served=(302,), note="no period given: back to the form"
    ),
    Screen("compliance_occurrence", roles(R.NETWORK_ADMIN, SEC, AUD), args=("occurrence",), hidden=True),
    Screen("compliance_attachment", roles(R.NETWORK_ADMIN, SEC, AUD), args=("attachment",), hidden=True),
    # 整改措施: the owner role and the 安全管理员 add one (the 审计管理员 reads: 403); its
    # owner (the 网络管理员 here) and the 安全管理员 close it; both POSTs go back to the
    # occurrence (an empty form: the Chinese errors in messages, nothing stored).
    Screen(
        "compliance_followup_add",
        roles(R.NETWORK_ADMIN, SEC),
        args=("found_occurrence",),
        method="post",
        served=(302,),
        hidden=True,
    ),
    Screen(
        "compliance_followup_close",
        roles(R.NETWORK_ADMIN, SEC),
        args=("followup",),
        method="post",
        served=(302,),
        hidden=True,
    ),
    # ---- sitebuild: the tamper check history (read-only for 网站/安全/审计管理员)
    *viewset(
        "tamper_checks",
        {v: roles(WEB, SEC, AUD) for v in ("index", "index_results", "inspect")},
        "tamper_check",
    ),
]

CONSTRAINED: list[Constrained] = [
    Constrained("audit_events", "auditor_with_grant", served=True),
    Constrained("audit_reviews", "auditor_with_grant", served=True),
    Constrained(
        "departures_detail",
        "head_of_other_department",
        served=False,
        args=("departure",),
        hidden=True,
    ),
    Constrained("departures_pdf", "head_of_other_department", served=False, args=("departure",), hidden=True),
    Constrained("screening_page_findings", "drafter_of_other_department", served=False, args=("draft_page",)),
    Constrained("ingest_import_docx", "drafter_of_other_department", served=False, args=("draft_page",)),
    Constrained("ingest_import_docx", "drafter_of_the_department", served=True, args=("draft_page",)),
]


def _isolated(check, *args) -> list[str]:
    """Run one check in a savepoint rolled back after it: a served POST may
    change what the next screen sees."""
    with transaction.atomic():
        problems = check(*args)
        transaction.set_rollback(True)
    return problems


@pytest.mark.django_db
def test_every_screen_answers_each_role_as_declared(world):
    objects, principals = world
    problems = [p for screen in SCREENS for p in _isolated(check_screen, screen, objects, principals)]
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_constrained_cases(world):
    objects, principals = world
    problems = [p for case in CONSTRAINED for p in _isolated(check_constrained, case, objects, principals)]
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- the meta-test

# In scope: every admin URL whose view is defined in ggzy, and every URL of a
# Wagtail viewset that a ggzy app registers (ggzy_admin_patterns). Wagtail's own
# screens (pages, images, documents, collections, workflows, groups, sites,
# reports, choosers) answer to Wagtail's permissions and are not declared here;
# the crawl below opens every one of them that a role's menu reaches.
# ggzy's admin URLs that the table leaves out on purpose, each with its reason:
EXCLUDED: dict[str, str] = {}


def test_every_admin_url_of_ggzy_is_in_the_table():
    """A new admin screen fails here until its access is declared above."""
    declared = {screen.name for screen in SCREENS}
    in_scope = {p.name for p in ggzy_admin_patterns()}
    unnamed = [p.route for p in ggzy_admin_patterns() if p.name is None]
    assert not unnamed, f"admin URLs without a name cannot be declared: {unnamed}"
    missing = sorted(in_scope - declared - EXCLUDED.keys())
    assert not missing, "admin URLs with no declared access (add them to SCREENS):\n" + "\n".join(missing)
    stale = sorted((declared | EXCLUDED.keys()) - in_scope)
    assert not stale, f"declared names that are no admin URL of ggzy: {stale}"


# --------------------------------------------------------------------------- the crawl


@pytest.mark.django_db
@pytest.mark.parametrize("principal", [*ROLES, "superuser"])
def test_admin_menu_crawl_has_no_server_error(world, principal):
    """Issue 14 item 4: every link of the principal's admin menu, and every
    admin link on the pages it opens, answers without a 5xx."""
    _, principals = world
    client = principals.clients[principal]
    menu = admin_menu_urls(client)
    assert "/admin/account/" in menu
    statuses = crawl(client, menu, depth=1)
    assert not server_errors(statuses), "\n".join(server_errors(statuses))


@pytest.mark.django_db
def test_the_crawl_reaches_the_read_only_listings(world):
    # The listings that once answered the superuser with a 500 are in its menu.
    _, principals = world
    menu = admin_menu_urls(principals.clients["superuser"])
    assert {"/admin/notices/calls/", "/admin/publishing/records/", "/admin/publishing/takedowns/"} <= set(
        menu
    )
