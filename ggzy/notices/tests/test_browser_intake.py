"""A notice pushed by the trading system, walked through its chain in Debian's Chromium."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import make_user
from ggzy.notices.models import CandidatesNotice
from ggzy.notices.services import api_token_create
from ggzy.notices.tests.test_api import candidates_body
from ggzy.portal.tests.factories import column
from ggzy.publishing.tests.factories import approve
from ggzy.publishing.tests.test_browser_chain import login, workflow_action

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pushed_notice_reaches_the_head_then_the_public_column(center, live_server, page):
    head = make_user(R.DEPARTMENT_HEAD, department="jianshe", last_name="张", first_name="科长")
    publisher = make_user(R.PUBLISHER, department="xinxi")
    _token, raw = api_token_create(name="交易系统", kinds=["construction.candidates"])

    response = Client().post(
        "/api/v1/notices/",
        candidates_body("JY-2026-0099"),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201, response.content
    notice_id = response.json()["id"]
    title = "焦作市人民路改造工程中标候选人公示"

    # The 科室负责人 of 建设工程交易科 finds it awaiting review on the dashboard.
    login(page, live_server, head)
    expect(page.locator("main")).to_contain_text(title)
    workflow_action(page, live_server, notice_id, "科室审核通过")
    expect(page.locator(".messages")).to_contain_text(title)

    page.goto(live_server.url + column("jyxx/jsgc/zbgs").url)
    expect(page.get_by_role("link", name=title)).to_have_count(0)  # not yet public

    # 信息发布管理小组 (审核制度 (四); its checklist modal has its own browser test).
    approve(CandidatesNotice.objects.get(pk=notice_id), make_user(R.REVIEW_GROUP, department="zonghe"))

    # 信息发布员 publishes: the chain's last step.
    login(page, live_server, publisher)
    workflow_action(page, live_server, notice_id, "签发发布")
    expect(page.locator(".messages")).to_contain_text(title)
    assert CandidatesNotice.objects.get(pk=notice_id).live

    page.goto(live_server.url + column("jyxx/jsgc").url + "?kind=construction.candidates&project_code=GC-018")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    fields = page.locator("table.notice-fields")
    expect(fields).to_contain_text("JZ2026-GC-018")
    expect(fields).to_contain_text("焦作市城市管理局")
    expect(fields.locator("tr", has=page.locator("th", has_text="公示期"))).to_contain_text("至 2026-11-05")
    candidates = page.locator("table.notice-candidates")
    expect(candidates.locator("tbody tr")).to_have_count(2)
    expect(candidates.locator("tbody tr").first).to_contain_text("甲建设集团有限公司")
    expect(candidates.locator("tbody tr").first).to_contain_text("王建国")
