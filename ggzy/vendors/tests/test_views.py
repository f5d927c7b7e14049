"""The vendor screens over HTTP: Chinese errors on the form, nothing half written."""

import pytest

from ggzy.accounts.tests.factories import login_as
from ggzy.audit.models import AuditEvent
from ggzy.vendors.models import OutsourcingRequest, Vendor, Visit

from .factories import credit_code, visit

pytestmark = pytest.mark.django_db


def test_bad_credit_code_shows_the_rule_and_stores_nothing(client, people):
    login_as(client, people.network_admin)
    good = credit_code()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = client.post("/admin/vendors/new/", {"name": "某公司", "credit_code": bad})
    assert response.status_code == 200
    assert "统一社会信用代码校验位错误（GB 32100-2015）" in response.content.decode()
    assert not Vendor.objects.exists()
    response = client.post("/admin/vendors/new/", {"name": "某公司", "credit_code": good})
    vendor = Vendor.objects.get()
    assert response.status_code == 302 and response.url == f"/admin/vendors/{vendor.pk}/"


def test_request_filed_and_approved_through_the_pages(client, people):
    login_as(client, people.dept_head)
    response = client.post(
        "/admin/vendors/requests/new/", {"title": "网站运维", "scope": "门户运维", "reason": "人手不足"}
    )
    assert "三个因素" in response.content.decode()
    response = client.post(
        "/admin/vendors/requests/new/",
        {"title": "网站运维", "scope": "门户运维", "reason": "没有专职运维", "lacks_capability": "on"},
    )
    request = OutsourcingRequest.objects.get()
    assert response.status_code == 302
    login_as(client, people.director)
    page = client.get(f"/admin/vendors/requests/{request.pk}/").content.decode()
    assert "中心主任批示" in page
    client.post(f"/admin/vendors/requests/{request.pk}/decide/", {"approve": "1", "note": "同意"})
    request.refresh_from_db()
    assert request.state == "approved" and request.decided_by == people.director


def test_arrival_before_approval_is_refused_over_http(client, people):
    the_visit = visit(people)
    login_as(client, people.machine_room_admin)
    response = client.post(
        f"/admin/vendors/visits/{the_visit.pk}/arrive/",
        {"escort": people.network_admin.pk, "rooms": "机房"},
        follow=True,
    )
    assert "不得进入现场" in response.content.decode()
    the_visit.refresh_from_db()
    assert the_visit.arrived_at is None and the_visit.state == "requested"
    assert AuditEvent.objects.filter(action="vendors.visit.entry_refused").exists()
    assert Visit.objects.count() == 1


def test_visit_files_are_served_only_to_who_may_see_the_visit(client, people):
    the_visit = visit(people)
    login_as(client, people.drafter)
    assert client.get(f"/admin/vendors/visits/{the_visit.pk}/letter/").status_code in (302, 403)
    login_as(client, people.network_admin)
    response = client.get(f"/admin/vendors/visits/{the_visit.pk}/letter/")
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
