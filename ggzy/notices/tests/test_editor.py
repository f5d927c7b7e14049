"""The editor refuses a statutory violation on the field, with the rule's message."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.notices.models import CandidatesNotice, ConstructionTenderNotice
from ggzy.notices.tests.factories import CREDIT_CODE
from ggzy.portal.tests.factories import column

pytestmark = pytest.mark.django_db


def tender_form(**overrides):
    data = {
        "title": "某道路工程招标公告",
        "slug": "road-tender",
        "project_code": "JZ2026-GC-100",
        "section_code": "",
        "project_name": "某道路工程",
        "owner_name": "焦作市某局",
        "owner_credit_code": CREDIT_CODE,
        "agency_name": "",
        "contact": "",
        "announced_at": "",
        "pickup_start": "2026-11-02 09:00",
        "pickup_end": "2026-11-09 17:00",
        "bid_deadline": "2026-11-22 09:00",
        "bid_opening": "",
        "budget": "",
        "budget_unit": "wan_yuan",
        "body": rich_text("<p>招标公告</p>"),
        "attachments": streamfield([]),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_editor_shows_the_statutory_message_on_the_field(client):
    drafter = make_user(R.DRAFTER, department="jianshe")
    login_as(client, drafter)
    url = f"/admin/pages/add/notices/constructiontendernotice/{column('jyxx/jsgc/zbgg').pk}/"
    response = client.post(url, tender_form())
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "《招标投标法》第二十四条" in errors["bid_deadline"][0]
    assert "最早应为2026-11-23" in errors["bid_deadline"][0]
    assert not ConstructionTenderNotice.objects.exists()

    response = client.post(url, tender_form(bid_deadline="2026-11-23 09:00"))
    assert response.status_code == 302, response.context["form"].errors
    notice = ConstructionTenderNotice.objects.get()
    assert not notice.live and notice.owner == drafter


def candidates_form(ranks):
    rows = [
        {"rank": str(r), "name": f"候选人{i}", "price": "100", "project_lead": ""}
        for i, r in enumerate(ranks)
    ]
    return nested_form_data(
        {
            "title": "某工程中标候选人公示",
            "slug": "candidates",
            "project_code": "JZ2026-GC-101",
            "section_code": "",
            "project_name": "某工程",
            "owner_name": "焦作市某局",
            "owner_credit_code": CREDIT_CODE,
            "agency_name": "",
            "contact": "",
            "announced_at": "",
            "publicity_start": "2026-11-02",
            "publicity_end": "2026-11-05",
            "objection_method": "",
            "candidates": inline_formset(rows, min=1, max=3),
            "body": rich_text("<p>公示</p>"),
            "attachments": streamfield([]),
            "comments": inline_formset([]),
        }
    )


def test_editor_checks_candidate_ranks(client):
    login_as(client, make_user(R.DRAFTER, department="jianshe"))
    url = f"/admin/pages/add/notices/candidatesnotice/{column('jyxx/jsgc/zbgs').pk}/"
    response = client.post(url, candidates_form([1, 1]))
    assert response.status_code == 200
    assert "候选人排名应从1开始连续且不重复" in str(response.context["form"].non_field_errors())
    response = client.post(url, candidates_form([2, 1]))
    assert response.status_code == 302
    notice = CandidatesNotice.objects.get()
    assert [c.rank for c in notice.candidates.all().order_by("rank")] == [1, 2]
