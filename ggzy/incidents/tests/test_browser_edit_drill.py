"""In Debian's Chromium: a responder links the failed switch (by its 资产编号) to a
hardware incident from the edit screen (应急预案 第七条); the 安全管理员 records a
held drill, linked to its drill incident, and finds it submitted as the year's
drill evidence (第十六条); the figures page offers its PDF."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.assets.tests.factories import asset
from ggzy.compliance.choices import OccurrenceState
from ggzy.compliance.models import Obligation, Occurrence
from ggzy.compliance.services import obligations_load
from ggzy.incidents import services
from ggzy.incidents.choices import IncidentType
from ggzy.incidents.models import Drill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_link_an_asset_and_record_a_drill_as_evidence(center, live_server, page):
    security = make_user(RoleKey.SECURITY_ADMIN, username="anquan")
    switch = asset(make_user(RoleKey.NETWORK_ADMIN), kind="network", number="ZC-2026-009")
    incident = services.incident_open(
        actor=security, title="核心交换机宕机", incident_type=IncidentType.HARDWARE
    )
    drill_incident = services.incident_open(
        actor=security, title="演练：网页篡改", incident_type=IncidentType.ATTACK, is_drill=True
    )
    obligations_load()
    today = timezone.localdate()
    duty = Occurrence.objects.create(
        obligation=Obligation.objects.get(key="yjya-drill"), due_on=dt.date(today.year, 12, 31)
    )

    browser_login(page, live_server, security)
    page.goto(live_server.url + f"/admin/incidents/{incident.pk}/")
    page.locator("#incident-edit").click()
    page.get_by_label("关联的资产编号（每行一个）").fill("ZC-404")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("找不到资产编号：ZC-404")
    page.get_by_label("关联的资产编号（每行一个）").fill("ZC-2026-009")
    page.get_by_label("事件级别").select_option(label="较大")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#incident-links")).to_contain_text("ZC-2026-009")
    page.locator("#incident-links").get_by_role("link").click()
    expect(page).to_have_url(live_server.url + f"/admin/assets/{switch.pk}/")

    page.goto(live_server.url + "/admin/incidents/registers/drills/new/")
    page.get_by_label("演练场景").fill("网页被篡改")
    page.get_by_label("演练日期").fill(today.isoformat())
    page.get_by_label("参加人员").fill("信息科全体")
    page.get_by_label("发现问题数").fill("2")
    page.get_by_label("已据此完善应急预案").check()
    page.get_by_label("演练事件").select_option(label=str(drill_incident))
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("年度应急预案演练")
    expect(page.locator("#register")).to_contain_text(str(drill_incident))
    drill = Drill.objects.get()
    duty.refresh_from_db()
    assert drill.incident == drill_incident and drill.occurrence == duty
    assert duty.state == OccurrenceState.DONE and duty.attachments.count() == 1

    page.goto(live_server.url + f"/admin/incidents/{drill_incident.pk}/")
    expect(page.locator("#incident-drill")).to_contain_text("网页被篡改")
    page.goto(live_server.url + "/admin/incidents/figures/")
    href = page.locator("#figures-pdf").get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.status == 200 and response.body().startswith(b"%PDF")
