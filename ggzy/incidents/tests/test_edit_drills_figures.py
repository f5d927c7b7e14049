"""The incident's edit screen and its links (assets by number, audit events by
sequence), drills and trainings as the evidence of their yearly obligations
(应急预案 第十四–十六条), and the figures' chart, PDF and xlsx."""

import datetime as dt
import io

import openpyxl
import pypdf
import pytest
import time_machine
from django.core.exceptions import ValidationError

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.assets.tests.factories import asset
from ggzy.audit import services as audit
from ggzy.audit.models import AuditEvent
from ggzy.compliance.choices import OccurrenceState
from ggzy.compliance.models import Obligation, Occurrence
from ggzy.compliance.services import obligations_load
from ggzy.incidents import selectors, services
from ggzy.incidents.choices import IncidentType, Severity
from ggzy.incidents.models import Drill, Training
from ggzy.incidents.registers import REGISTERS, form_class, register_save, register_submit_evidence

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def security():
    return make_user(RoleKey.SECURITY_ADMIN, username="anquan")


@pytest.fixture
def incident(security):
    return services.incident_open(actor=security, title="核心交换机故障", incident_type=IncidentType.HARDWARE)


def _edit_data(incident, **extra):
    return {
        "title": incident.title,
        "incident_type": incident.incident_type,
        "severity": incident.severity,
        "owner": incident.owner_id,
        "description": "",
        "affected_systems": "",
        "audit_event_seqs": "",
        "links_assets_asset": "",
        **extra,
    }


def test_the_edit_screen_links_assets_and_audit_events(center, client, security, incident):
    switch = asset(make_user(RoleKey.NETWORK_ADMIN), kind="network", number="ZC-2026-001")
    event = audit.record(action="accounts.user.locked", actor=security, obj=security)
    login_as(client, security)
    url = f"/admin/incidents/{incident.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200 and "关联的资产编号" in page.content.decode()

    # An unknown asset number, or a sequence that is not in the log: refused, nothing changed.
    refused = client.post(url, _edit_data(incident, severity="major", links_assets_asset="ZC-404"))
    assert refused.status_code == 200 and "找不到资产编号：ZC-404" in refused.content.decode()
    refused = client.post(url, _edit_data(incident, audit_event_seqs=f"{event.seq} 999999"))
    assert "没有序号为 999999 的审计事件" in refused.content.decode()
    refused = client.post(url, _edit_data(incident, audit_event_seqs="12a"))
    assert "审计事件序号只能是数字" in refused.content.decode()
    incident.refresh_from_db()
    assert incident.severity == Severity.GENERAL and incident.links == [] and incident.audit_event_seqs == []

    done = client.post(
        url,
        _edit_data(
            incident,
            severity="large",
            affected_systems="核心交换机",
            links_assets_asset="ZC-2026-001\nZC-2026-001\n",
            audit_event_seqs=f"{event.seq}，{event.seq}",
        ),
    )
    assert done.status_code == 302
    incident.refresh_from_db()
    assert incident.severity == Severity.LARGE and incident.audit_event_seqs == [event.seq]
    assert incident.links == [
        {
            "kind": "assets.asset",
            "key": "ZC-2026-001",
            "label": "ZC-2026-001 设备",
            "url": f"/admin/assets/{switch.pk}/",
        }
    ]
    updated = AuditEvent.objects.filter(action="incidents.incident.updated").get()
    assert updated.after["links"][0]["key"] == "ZC-2026-001" and updated.before["links"] == []
    detail = client.get(f"/admin/incidents/{incident.pk}/").content.decode()
    assert f'href="/admin/assets/{switch.pk}/"' in detail and str(event.seq) in detail
    assert incident.timeline.filter(kind="changed").exists()


def test_readers_cannot_edit_and_a_closed_incident_is_not_edited(client, security, incident):
    auditor = make_user(RoleKey.AUDIT_ADMIN)
    login_as(client, auditor)
    assert client.get(f"/admin/incidents/{incident.pk}/edit/").status_code == 403
    assert client.post(f"/admin/incidents/{incident.pk}/edit/", _edit_data(incident)).status_code == 403
    services.incident_mark_error(incident=incident, actor=security, reason="误报")
    login_as(client, security)
    response = client.get(f"/admin/incidents/{incident.pk}/edit/")
    assert response.status_code == 302 and response["Location"] == f"/admin/incidents/{incident.pk}/"


def test_a_drill_links_only_a_free_drill_incident(security):
    drill_incident = services.incident_open(
        actor=security, title="演练：网页篡改", incident_type=IncidentType.ATTACK, is_drill=True
    )
    real = services.incident_open(actor=security, title="真实事件", incident_type=IncidentType.ATTACK)
    assert list(form_class(REGISTERS["drills"])().fields["incident"].queryset) == [drill_incident]
    data = {"scenario": "网页篡改", "held_on": "2030-01-01", "participants": "信息科", "problems_found": 0}
    with pytest.raises(ValidationError):  # a real incident is never a drill's
        register_save(
            register=REGISTERS["drills"], instance=None, data={**data, "incident": real.pk}, actor=security
        )
    drill = register_save(
        register=REGISTERS["drills"],
        instance=None,
        data={**data, "incident": drill_incident.pk},
        actor=security,
    )
    assert drill.incident == drill_incident
    assert list(form_class(REGISTERS["drills"])().fields["incident"].queryset) == []  # claimed
    assert list(form_class(REGISTERS["drills"])(instance=drill).fields["incident"].queryset) == [
        drill_incident
    ]


@time_machine.travel(NOW, tick=False)
def test_a_held_drill_is_the_evidence_of_its_year(client, security):
    obligations_load()
    drill_duty = Occurrence.objects.create(
        obligation=Obligation.objects.get(key="yjya-drill"), due_on=dt.date(2026, 11, 30)
    )
    education = Occurrence.objects.create(
        obligation=Obligation.objects.get(key="yjya-education"), due_on=dt.date(2026, 11, 30)
    )
    login_as(client, security)
    # A planned drill (later this year) is not evidence yet.
    planned = {
        "scenario": "机房断电",
        "held_on": "2026-09-01",
        "participants": "信息科",
        "problems_found": "0",
    }
    client.post("/admin/incidents/registers/drills/new/", planned)
    drill_duty.refresh_from_db()
    assert drill_duty.state == OccurrenceState.DUE and Drill.objects.get().occurrence is None

    held = {
        "scenario": "网页被篡改",
        "held_on": "2026-06-10",
        "participants": "信息科全体",
        "timeline": "09:00 发现；09:03 报告",
        "findings": "报告流程熟练",
        "problems_found": "1",
        "plan_updated": "on",
    }
    response = client.post("/admin/incidents/registers/drills/new/", held, follow=True)
    assert "已作为" in response.content.decode()
    drill = Drill.objects.get(scenario="网页被篡改")
    drill_duty.refresh_from_db()
    assert drill.occurrence == drill_duty and drill_duty.state == OccurrenceState.DONE
    assert drill_duty.answers == {"problems": 1, "plan_updated": True} and drill_duty.done_by == security
    attachment = drill_duty.attachments.get()
    body = attachment.file.read()
    assert body.startswith(b"%PDF") and len(attachment.sha256) == 64
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(body)).pages)
    assert "网页被篡改" in text.replace(" ", "") and "信息科全体" in text.replace(" ", "")
    # Saving the drill again does not submit it twice.
    assert register_submit_evidence(register=REGISTERS["drills"], row=drill, actor=security) is None
    assert AuditEvent.objects.filter(action="compliance.occurrence.completed").count() == 1

    training = {
        "kind": "education",
        "title": "网络安全意识",
        "held_on": "2026-06-01",
        "attendees": "全体",
        "attendance": "35",
    }
    client.post("/admin/incidents/registers/trainings/new/", training)
    education.refresh_from_db()
    assert education.state == OccurrenceState.DONE and education.answers == {"attendees": 35}
    assert Training.objects.get().occurrence == education
    assert "年度信息网络安全教育" in client.get("/admin/incidents/registers/trainings/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_refused_evidence_keeps_the_record(client, security, settings):
    obligations_load()
    Occurrence.objects.create(
        obligation=Obligation.objects.get(key="yjya-training"), due_on=dt.date(2026, 11, 30)
    )
    settings.SCREENING_MAX_UPLOAD_BYTES = 10  # the upload gate refuses the PDF
    login_as(client, security)
    training = {
        "kind": "training",
        "title": "应急处置",
        "held_on": "2026-06-01",
        "attendees": "信息科",
        "attendance": "8",
    }
    response = client.post("/admin/incidents/registers/trainings/new/", training, follow=True)
    assert "记录已保存，但未能作为年度义务的凭证提交" in response.content.decode()
    assert Training.objects.get().occurrence is None
    assert AuditEvent.objects.filter(action="compliance.occurrence.rejected").exists()


def test_figures_trend_chart_pdf_and_xlsx(client, security):
    with time_machine.travel(dt.datetime(2026, 4, 3, 2, tzinfo=dt.UTC), tick=False):
        one = services.incident_open(actor=security, title="一", incident_type=IncidentType.NETWORK)
        services.incident_report_record(
            incident=one, actor=security, body="leadership", channel="phone", recipients="王"
        )
    with time_machine.travel(dt.datetime(2026, 5, 3, 2, tzinfo=dt.UTC), tick=False):
        two = services.incident_open(actor=security, title="二", incident_type=IncidentType.ATTACK)
        services.incident_open(actor=security, title="演练", incident_type=IncidentType.ATTACK, is_drill=True)
    with time_machine.travel(dt.datetime(2026, 5, 3, 2, 30, tzinfo=dt.UTC), tick=False):
        services.incidents_mark_late()
    two.refresh_from_db()
    assert two.report_late

    trend = selectors.trend(end=dt.date(2026, 6, 1))
    assert [p["month"] for p in trend][-1] == dt.date(2026, 5, 1) and len(trend) == 12
    assert trend[-2] == {"month": dt.date(2026, 4, 1), "incidents": 1, "within": 1, "late": 0}
    assert trend[-1] == {"month": dt.date(2026, 5, 1), "incidents": 1, "within": 0, "late": 1}

    login_as(client, security)
    page = client.get("/admin/incidents/figures/?period=2026").content.decode()
    assert 'id="incidents-trend"' in page and page.count("<rect ") >= 36
    pdf = client.get("/admin/incidents/figures/pdf/?period=2026-05")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "2026-05" in text and "报告超时" in text.replace(" ", "")
    xlsx = client.get("/admin/incidents/figures/xlsx/?period=2026")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert (
        summary["安全事件（不含演练和错误开立）"] == 2
        and summary["报告超时"] == 1
        and summary["演练（另计）"] == 1
    )
    months = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert months[-1] == ("2026-12", 0, 0, 0) and ("2026-05", 1, 0, 1) in months
    assert AuditEvent.objects.filter(action="incidents.figures.exported").count() == 2
    bad = client.get("/admin/incidents/figures/pdf/?period=2026-5x")
    assert bad.status_code == 302
