"""The ledger screens over HTTP: the QR label, the import with per-row errors, the
filters, the repair flow from the holder's side."""

import pytest

from ggzy.accounts.tests.factories import login_as
from ggzy.assets.labels import qr_svg
from ggzy.assets.models import Asset, RepairTicket

from .factories import asset, workbook

pytestmark = pytest.mark.django_db


def test_the_label_is_a_qr_code_of_the_assets_page(client, people):
    laptop = asset(people.network_admin, number="ZC-2026-0042")
    login_as(client, people.network_admin)
    page = client.get(f"/admin/assets/{laptop.pk}/label/").content.decode()
    url = f"http://testserver/admin/assets/{laptop.pk}/"
    assert "ZC-2026-0042" in page and "<svg" in page
    assert qr_svg(url) in page  # the code of exactly this asset's URL
    assert qr_svg(url) != qr_svg(url.replace(str(laptop.pk), str(laptop.pk + 1)))


def test_import_page_shows_every_bad_row_and_stores_nothing(client, people):
    login_as(client, people.network_admin)
    upload = workbook(
        [
            ["ZC-1", "笔记本电脑", "好", "", "", "信息科", None, "", None, None, None],
            ["ZC-2", "飞船", "坏", "", "", "信息科", None, "", None, None, None],
        ]
    )
    response = client.post("/admin/assets/import/", {"upload": upload})
    body = response.content.decode()
    assert response.status_code == 200 and "第 3 行" in body and "飞船" in body
    assert not Asset.objects.exists()
    template = client.get("/admin/assets/import/template/")
    assert template.status_code == 200 and template.content.startswith(b"PK")


def test_the_holder_reports_a_fault_and_sees_only_their_own(client, people):
    mine = asset(people.network_admin, holder=people.drafter)
    other = asset(people.network_admin, holder=people.dept_head)
    login_as(client, people.drafter)
    page = client.get("/admin/assets/repairs/").content.decode()
    assert mine.number in page and other.number not in page
    response = client.post("/admin/assets/repairs/new/", {"asset": other.pk, "fault": "黑屏"})
    assert response.status_code == 200 and not RepairTicket.objects.exists()  # not a choice for them
    client.post("/admin/assets/repairs/new/", {"asset": mine.pk, "fault": "黑屏"})
    ticket = RepairTicket.objects.get()
    response = client.post(f"/admin/assets/repairs/{ticket.pk}/take/", follow=True)
    assert "信息科统一处理" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.state == "reported"
    assert client.get(f"/admin/assets/{other.pk}/").status_code == 404
    assert client.get(f"/admin/assets/{mine.pk}/").status_code == 200


def test_ledger_filters(client, people):
    asset(people.network_admin, number="ZC-A", kind="laptop")
    asset(people.network_admin, number="ZC-B", kind="network")
    login_as(client, people.network_admin)
    page = client.get("/admin/assets/?kind=network").content.decode()
    assert "ZC-B" in page and ">ZC-A<" not in page
