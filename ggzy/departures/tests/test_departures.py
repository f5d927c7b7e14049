"""人员离岗离职信息安全管理规定: departures, through the services and real sessions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import DEFAULT_PASSWORD, login_as, make_user
from ggzy.departures.choices import DepartureItemKind, DepartureKind
from ggzy.departures.models import Departure
from ggzy.departures.services import (
    departure_acknowledge_confidentiality,
    departure_close,
    departure_item_add,
    departure_item_sign_off,
    departure_start,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "leaver": make_user(RoleKey.NETWORK_ADMIN, department="xinxi"),
        "sysadmin": make_user(RoleKey.SYSTEM_ADMIN, department="xinxi"),
        "head": make_user(RoleKey.DEPARTMENT_HEAD, department="xinxi"),
        "other_head": make_user(RoleKey.DEPARTMENT_HEAD, department="caigou"),
    }


def test_departed_users_existing_session_is_dead_on_the_next_request(people, security_events):
    leaver = people["leaver"]
    client = Client()
    login_as(client, leaver)
    assert client.get("/admin/").status_code == 200

    departure_start(
        user=leaver,
        kind=DepartureKind.RESIGNATION,
        actor=people["sysadmin"],
        device_accounts=["核心交换机 admin", "防火墙 root"],
    )

    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert (
        client.post("/admin/login/", {"username": leaver.username, "password": DEFAULT_PASSWORD}).status_code
        == 200
    )
    leaver.refresh_from_db()
    assert not leaver.is_active and not leaver.groups.exists()
    started = [kw for a, _, kw in security_events if a == "accounts.departure.started"]
    assert started and started[0]["data"]["removed_groups"] == ["网络管理员"]
    assert started[0]["data"]["sessions_ended"] == 1


def test_checklist_lists_each_device_account_and_every_handover(people):
    departure = departure_start(
        user=people["leaver"],
        kind=DepartureKind.TRANSFER,
        actor=people["sysadmin"],
        device_accounts=["核心交换机 admin", "防火墙 root"],
    )
    kinds = list(departure.items.values_list("kind", "description"))
    assert kinds[:2] == [
        (DepartureItemKind.DEVICE_CREDENTIALS, "核心交换机 admin"),
        (DepartureItemKind.DEVICE_CREDENTIALS, "防火墙 root"),
    ]
    assert {k for k, _ in kinds} == set(DepartureItemKind.values)


def test_departure_closes_only_when_everything_is_done(people, security_events):
    head = people["head"]
    departure = departure_start(
        user=people["leaver"], kind=DepartureKind.RESIGNATION, actor=people["sysadmin"]
    )
    with pytest.raises(ValidationError, match="尚未确认"):
        departure_close(departure=departure, actor=head)
    items = list(departure.items.all())
    for item in items:
        departure_item_sign_off(item=item, actor=head, note="已交接")
    with pytest.raises(ValidationError, match="保密义务"):
        departure_close(departure=departure, actor=head)
    departure_acknowledge_confidentiality(
        departure=departure, acknowledged_on=timezone.localdate(), actor=people["sysadmin"]
    )
    departure_close(departure=departure, actor=head)
    departure.refresh_from_db()
    assert departure.is_closed
    with pytest.raises(ValidationError, match="已办结"):
        departure_item_add(
            departure=departure, kind=DepartureItemKind.KEYS, description="机房钥匙", actor=head
        )
    names = [a for a, _, _ in security_events]
    assert names.count("accounts.departure.item_signed_off") == len(items)
    assert "accounts.departure.closed" in names


def test_only_the_department_head_of_the_leaver_signs_off(people):
    departure = departure_start(
        user=people["leaver"], kind=DepartureKind.RESIGNATION, actor=people["sysadmin"]
    )
    item = departure.items.first()
    for actor in [people["sysadmin"], people["other_head"], people["leaver"]]:
        with pytest.raises(PermissionDenied):
            departure_item_sign_off(item=item, actor=actor)
    departure_item_sign_off(item=item, actor=people["head"])


def test_only_the_system_admin_starts_a_departure_and_never_their_own(people):
    for actor in [people["head"], make_user(RoleKey.SECURITY_ADMIN)]:
        with pytest.raises(PermissionDenied):
            departure_start(user=people["leaver"], kind=DepartureKind.TRANSFER, actor=actor)
    with pytest.raises(PermissionDenied):
        departure_start(user=people["sysadmin"], kind=DepartureKind.TRANSFER, actor=people["sysadmin"])
    assert people["leaver"].is_active and not Departure.objects.exists()


def test_one_open_departure_at_a_time(people):
    departure_start(user=people["leaver"], kind=DepartureKind.TRANSFER, actor=people["sysadmin"])
    with pytest.raises(ValidationError, match="未办结"):
        departure_start(user=people["leaver"], kind=DepartureKind.TRANSFER, actor=people["sysadmin"])


def test_confidentiality_date_cannot_be_in_the_future(people):
    departure = departure_start(user=people["leaver"], kind=DepartureKind.TRANSFER, actor=people["sysadmin"])
    with pytest.raises(ValidationError):
        departure_acknowledge_confidentiality(
            departure=departure,
            acknowledged_on=timezone.localdate() + datetime.timedelta(days=1),
            actor=people["sysadmin"],
        )


def test_departure_through_the_admin_pages(people):
    admin_client, head_client = Client(), Client()
    login_as(admin_client, people["sysadmin"])
    login_as(head_client, people["head"])
    leaver = people["leaver"]

    assert admin_client.get("/admin/departures/new/").status_code == 200
    response = admin_client.post(
        "/admin/departures/new/",
        {
            "user": leaver.pk,
            "kind": DepartureKind.RESIGNATION,
            "reason": "调离",
            "device_accounts": "核心交换机 admin",
        },
    )
    assert response.status_code == 302
    departure = Departure.objects.get(user=leaver)
    leaver.refresh_from_db()
    assert not leaver.is_active

    detail = f"/admin/departures/{departure.pk}/"
    assert "确认已交接" not in admin_client.get(detail).content.decode()  # sign-off is the head's
    page = head_client.get(detail).content.decode()
    assert "确认已交接" in page and "核心交换机 admin" in page
    for item in departure.items.all():
        assert head_client.post(f"{detail}items/{item.pk}/sign-off/", {"note": "已交接"}).status_code == 302
    head_client.post(f"{detail}close/")
    departure.refresh_from_db()
    assert not departure.is_closed  # confidentiality not yet acknowledged
    head_client.post(f"{detail}acknowledge/", {"acknowledged_on": timezone.localdate().isoformat()})
    head_client.post(f"{detail}close/")
    departure.refresh_from_db()
    assert departure.is_closed

    pdf = admin_client.get(f"{detail}pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.content))
    assert "工作人员离岗离职信息安全交接单" in reader.pages[0].extract_text()
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    descriptors = [
        (f["/DescendantFonts"][0].get_object() if "/DescendantFonts" in f else f)["/FontDescriptor"]
        for f in fonts
    ]
    assert any("/FontFile2" in d or "/FontFile3" in d or "/FontFile" in d for d in descriptors)  # embedded


def test_departure_pages_refuse_others(people):
    departure = departure_start(user=people["leaver"], kind=DepartureKind.TRANSFER, actor=people["sysadmin"])
    client = Client()
    for user in [people["other_head"], make_user(RoleKey.PUBLISHER), make_user(RoleKey.SECURITY_ADMIN)]:
        login_as(client, user)
        for url in [f"/admin/departures/{departure.pk}/", f"/admin/departures/{departure.pk}/pdf/"]:
            response = client.get(url)
            assert response.status_code in (302, 404), (user, url)
            assert response.status_code == 404 or response.url == "/admin/"
        client.post(f"/admin/departures/{departure.pk}/items/{departure.items.first().pk}/sign-off/")
    login_as(client, people["head"])
    assert client.get("/admin/departures/new/").url == "/admin/"
    assert not departure.items.filter(done_at__isnull=False).exists()
