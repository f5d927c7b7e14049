"""The compliance dashboard (issue 21 §4), through HTTP: the overview for the
安全管理员 and 审计管理员, the drill-down with its evidence, each role's own
duties and completing one with a photo."""

import datetime as dt
import hashlib
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.compliance.choices import OccurrenceState
from ggzy.compliance.models import Clause, ClauseSnapshot, Obligation, Occurrence
from ggzy.compliance.registry import ObligationSpec
from ggzy.compliance.services import obligation_ensure, occurrences_generate

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 18)  # the quarterly 资产台账核对 is due 2026-12-31: within its 14 days
LEDGER = "wh-asset-ledger"  # 网络与系统安全维护管理制度 一(三), owned by the 网络管理员


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(dt.datetime(2026, 12, 18, 10, 0, tzinfo=dt.UTC), tick=False):
        Occurrence.objects.all().delete()
        occurrences_generate(today=TODAY, horizon_days=120)
        yield TODAY


def client_for(*roles, **fields) -> tuple[Client, object]:
    user = make_user(*roles, **fields)
    client = Client()
    login_as(client, user)
    return client, user


def photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return SimpleUploadedFile("机房照片.png", out.getvalue(), content_type="image/png")


def ledger_occurrence() -> Occurrence:
    return Occurrence.objects.get(obligation__key=LEDGER, due_on=dt.date(2026, 12, 31))


def clause_row(html: str, key: str) -> str:
    match = re.search(rf'<tr id="clause-{re.escape(key)}" data-status="(\w+)"', html)
    assert match, key
    return match.group(1)


@pytest.mark.parametrize("role", [RoleKey.SECURITY_ADMIN, RoleKey.AUDIT_ADMIN])
def test_the_overseers_see_every_regulation_with_counts_score_and_trend(role):
    client, _ = client_for(role)
    response = client.get(reverse("compliance_overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert clause_row(html, "wh.1.3") == "due_soon"
    assert clause_row(html, "wlaq.1") == "principle"
    assert html.count('<section aria-labelledby="reg-') == 11  # the 11 regulations
    total = Clause.objects.count()
    counts = {m[0]: int(m[1]) for m in re.findall(r'<td data-status="(\w+)">(\d+)</td>', html)}
    assert sum(counts.values()) == total
    assert counts["due_soon"] >= 1 and counts["unhomed"] >= 1
    assert re.search(r'id="compliance-score">\d+%', html)
    assert '<svg role="img"' in html and "近 12 个月合规得分" in html


def test_other_roles_are_refused_the_overview_and_the_drill_down():
    client, _ = client_for(RoleKey.NETWORK_ADMIN)
    assert client.get(reverse("compliance_overview")).status_code == 403
    assert client.get(reverse("compliance_clause", args=["wh.1.3"])).status_code == 403


def test_filters_narrow_the_rows_not_the_counts():
    client, _ = client_for(RoleKey.SECURITY_ADMIN)
    html = client.get(
        reverse("compliance_overview"), {"regulation": "wh", "status": "due_soon"}
    ).content.decode()
    rows = re.findall(r'<tr id="clause-([\w.]+)" data-status="(\w+)"', html)
    assert rows and all(key.startswith("wh.") and status == "due_soon" for key, status in rows)
    assert ("wh.1.3", "due_soon") in rows
    counts = {m[0]: int(m[1]) for m in re.findall(r'<td data-status="(\w+)">(\d+)</td>', html)}
    assert sum(counts.values()) == Clause.objects.filter(regulation="wh").count()
    html = client.get(reverse("compliance_overview"), {"home": "principle"}).content.decode()
    assert {status for _key, status in re.findall(r'<tr id="clause-([\w.]+)" data-status="(\w+)"', html)} == {
        "principle"
    }


def test_the_trend_plots_the_last_snapshot_of_each_month():
    clauses = list(Clause.objects.filter(regulation="wh").order_by("pk")[:4])
    # October: 1 of 4 met on its last day (the 15th is superseded by the 31st); December: 4 of 4.
    for clause in clauses:
        ClauseSnapshot.objects.create(clause=clause, day=dt.date(2026, 10, 15), status="met")
        ClauseSnapshot.objects.create(
            clause=clause, day=dt.date(2026, 10, 31), status="met" if clause == clauses[0] else "overdue"
        )
        ClauseSnapshot.objects.create(clause=clause, day=dt.date(2026, 12, 1), status="met")
    client, _ = client_for(RoleKey.AUDIT_ADMIN)
    html = client.get(reverse("compliance_overview"), {"regulation": "wh"}).content.decode()
    start = html.index('id="compliance-trend"')
    svg = html[start : html.index("</svg>", start)]
    assert re.findall(r"<title>([\d-]+)：(\d+)%</title>", svg) == [("2026-10", "25"), ("2026-12", "100")]
    assert svg.count("<text x=") == 12 + 5  # twelve month labels, five grid labels


def test_the_drill_down_shows_text_home_checks_and_obligation_occurrences():
    client, _ = client_for(RoleKey.AUDIT_ADMIN)
    clause = Clause.objects.get(key="wh.1.3")
    html = client.get(reverse("compliance_clause", args=["wh.1.3"])).content.decode()
    assert clause.text.splitlines()[0] in html
    assert "定期义务留痕" in html and LEDGER in html
    assert 'id="obligation-wh-asset-ledger"' in html and "2026-12-31" in html
    # A checked clause lists its checks' live results.
    html = client.get(reverse("compliance_clause", args=["wlaq.5.4"])).content.decode()
    assert "compliance.audit_log_verified_and_kept" in html


def test_each_role_sees_only_its_own_duties():
    network, _ = client_for(RoleKey.NETWORK_ADMIN)
    html = network.get(reverse("compliance_mine")).content.decode()
    assert "计算机硬件及维修工具资产台账核对" in html and "2026-12-31" in html
    assert "年度应急预案演练" not in html  # the 安全管理员's
    drafter, _ = client_for(RoleKey.DRAFTER)
    html = drafter.get(reverse("compliance_mine")).content.decode()
    assert "近期没有待完成的定期义务。" in html
    assert drafter.get(reverse("compliance_occurrence", args=[ledger_occurrence().pk])).status_code == 404


def test_the_owner_completes_a_due_occurrence_with_a_photo_and_the_clause_turns_met():
    network, user = client_for(RoleKey.NETWORK_ADMIN)
    occurrence = ledger_occurrence()
    url = reverse("compliance_occurrence", args=[occurrence.pk])
    form = network.get(url).content.decode()
    assert 'name="answer-discrepancies"' in form and "可接受范围：0 – 0" in form
    image = photo()
    data = image.read()
    image.seek(0)
    response = network.post(url, {"answer-discrepancies": "0", "comment": "账实相符", "evidence": image})
    assert response.status_code == 302 and response.url == reverse("compliance_mine")
    occurrence.refresh_from_db()
    assert occurrence.state == OccurrenceState.DONE and occurrence.done_by == user
    assert occurrence.answers == {"discrepancies": 0} and occurrence.comment == "账实相符"
    attachment = occurrence.attachments.get()
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert AuditEvent.objects.filter(action="compliance.occurrence.completed", actor=user).exists()

    security, _ = client_for(RoleKey.SECURITY_ADMIN)
    html = security.get(reverse("compliance_overview"), {"regulation": "wh"}).content.decode()
    assert clause_row(html, "wh.1.3") == "met"
    drill = security.get(reverse("compliance_clause", args=["wh.1.3"])).content.decode()
    assert attachment.sha256 in drill and user.username in drill
    # The evidence file is downloadable by those who may open the occurrence.
    download = security.get(reverse("compliance_attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == data
    drafter, _ = client_for(RoleKey.DRAFTER)
    assert drafter.get(reverse("compliance_attachment", args=[attachment.pk])).status_code == 404


def test_a_wrong_answer_or_missing_evidence_is_refused_in_chinese_and_nothing_is_stored():
    network, user = client_for(RoleKey.NETWORK_ADMIN)
    occurrence = ledger_occurrence()
    url = reverse("compliance_occurrence", args=[occurrence.pk])
    response = network.post(url, {"answer-discrepancies": "很多", "evidence": photo()})
    assert response.status_code == 200
    assert "“账实不符项数”应填写数字。" in response.content.decode()
    response = network.post(url, {"answer-discrepancies": "0"})
    assert "此项义务需要上传凭证" in response.content.decode()
    occurrence.refresh_from_db()
    assert occurrence.state == OccurrenceState.DUE and not occurrence.attachments.exists()
    assert AuditEvent.objects.filter(action="compliance.occurrence.rejected", actor=user).count() == 2


def test_an_answer_out_of_range_is_done_with_findings_and_the_clause_fails():
    network, _ = client_for(RoleKey.NETWORK_ADMIN)
    occurrence = ledger_occurrence()
    network.post(
        reverse("compliance_occurrence", args=[occurrence.pk]),
        {"answer-discrepancies": "2", "evidence": photo()},
    )
    occurrence.refresh_from_db()
    assert occurrence.state == OccurrenceState.DONE_WITH_FINDINGS
    security, _ = client_for(RoleKey.SECURITY_ADMIN)
    html = security.get(reverse("compliance_overview"), {"regulation": "wh"}).content.decode()
    assert clause_row(html, "wh.1.3") == "failing"


def test_the_auditor_reads_an_occurrence_but_cannot_complete_it():
    auditor, _ = client_for(RoleKey.AUDIT_ADMIN)
    url = reverse("compliance_occurrence", args=[ledger_occurrence().pk])
    html = auditor.get(url).content.decode()
    assert 'id="occurrence-form"' not in html
    assert auditor.post(url, {"answer-discrepancies": "0"}).status_code == 403
    assert ledger_occurrence().state == OccurrenceState.DUE


def test_the_overview_queries_do_not_grow_with_obligations_or_occurrences():
    security, _ = client_for(RoleKey.SECURITY_ADMIN)
    security.get(reverse("compliance_overview"))  # warm caches (sessions, roles)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert security.get(reverse("compliance_overview")).status_code == 200
        return len(captured)

    before = queries()
    clause = Clause.objects.get(key="wh.1.3")
    for n in range(15):
        obligation, _ = obligation_ensure(
            spec=ObligationSpec(
                key=f"bench-{n}",
                title=f"附加义务 {n}",
                clauses=("wh.1.3",),
                owner_role=RoleKey.NETWORK_ADMIN,
                rrule="FREQ=DAILY",
                starts_on=dt.date(2026, 1, 1),
                evidence="none",
            )
        )
        Occurrence.objects.bulk_create(
            Occurrence(obligation=obligation, due_on=dt.date(2026, 1, 1) + dt.timedelta(days=d), state="done")
            for d in range(300)
        )
    clause.home_refs = [LEDGER, *[f"bench-{n}" for n in range(15)]]
    clause.save()
    assert Obligation.objects.count() >= 15
    assert queries() == before
