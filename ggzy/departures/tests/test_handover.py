"""The handover registry (人员离岗离职信息安全管理规定 第二、三条): sources registered
by the modules above list what the person holds; the departure page shows them
and the departure cannot be closed while any is outstanding."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.departures import handover
from ggzy.departures.choices import DepartureKind
from ggzy.departures.handover import HandoverEntry, handover_entries, register_handover_source
from ggzy.departures.services import (
    departure_acknowledge_confidentiality,
    departure_close,
    departure_item_sign_off,
    departure_start,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def held():
    """A test source: what it returns for a user is set by the test."""
    items: dict[int, list[HandoverEntry]] = {}
    saved = handover.handover_sources()
    register_handover_source("test-keys", lambda user: items.get(user.pk, []))
    yield items
    handover._SOURCES.clear()
    handover._SOURCES.update(saved)


def _ready_departure(*, department="jianshe"):
    admin = make_user(RoleKey.SYSTEM_ADMIN)
    head = make_user(RoleKey.DEPARTMENT_HEAD, department=department)
    leaving = make_user(RoleKey.DRAFTER, department=department)
    departure = departure_start(user=leaving, kind=DepartureKind.RESIGNATION, actor=admin)
    for item in departure.items.all():
        departure_item_sign_off(item=item, actor=head)
    departure_acknowledge_confidentiality(
        departure=departure, acknowledged_on=timezone.localdate(), actor=head
    )
    return departure, head


def test_entries_of_every_source_outstanding_first(held):
    user = make_user(RoleKey.DRAFTER)
    held[user.pk] = [
        HandoverEntry("钥匙", "机房门钥匙", outstanding=False),
        HandoverEntry("钥匙", "档案柜钥匙", detail="3号柜"),
    ]
    register_handover_source(
        "test-other", lambda u: [HandoverEntry("资料", "交换机说明书")] if u == user else []
    )
    try:
        entries = handover_entries(user)
    finally:
        handover._SOURCES.pop("test-other")
    assert [e.label for e in entries] == ["档案柜钥匙", "交换机说明书", "机房门钥匙"]
    assert handover_entries(make_user(RoleKey.DRAFTER)) == []


def test_close_is_refused_while_an_entry_is_outstanding(held):
    departure, head = _ready_departure()
    held[departure.user_id] = [HandoverEntry("钥匙", "档案柜钥匙", detail="3号柜")]
    with pytest.raises(ValidationError) as refused:
        departure_close(departure=departure, actor=head)
    assert "档案柜钥匙（3号柜）" in " ".join(refused.value.messages)
    assert "第二、三条" in " ".join(refused.value.messages)
    departure.refresh_from_db()
    assert not departure.is_closed

    held[departure.user_id] = [HandoverEntry("钥匙", "档案柜钥匙", outstanding=False)]
    departure_close(departure=departure, actor=head)
    assert departure.is_closed


def test_the_departure_page_lists_the_entries(held, client):
    departure, head = _ready_departure()
    held[departure.user_id] = [HandoverEntry("钥匙", "档案柜钥匙", url="/admin/x/", detail="3号柜")]
    login_as(client, head)
    page = client.get(f"/admin/departures/{departure.pk}/").content.decode()
    assert 'id="departure-handover"' in page
    assert '<a href="/admin/x/">档案柜钥匙</a>' in page
    assert "未归还" in page
    response = client.post(f"/admin/departures/{departure.pk}/close/", follow=True)
    assert "档案柜钥匙（3号柜）" in response.content.decode()
    departure.refresh_from_db()
    assert not departure.is_closed
