"""The ledger's handover source for departures (人员离岗离职 第二、三条)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.assets import services
from ggzy.departures.choices import DepartureKind
from ggzy.departures.handover import handover_entries
from ggzy.departures.services import (
    departure_acknowledge_confidentiality,
    departure_close,
    departure_item_sign_off,
    departure_start,
)

from .factories import asset

pytestmark = pytest.mark.django_db


def test_held_assets_and_keys_block_the_departure_until_returned(people):
    laptop = asset(people.network_admin, holder=people.drafter)
    key = asset(people.network_admin, kind="key", holder=people.drafter)
    other = asset(people.network_admin, holder=people.dept_head)
    labels = [entry.label for entry in handover_entries(people.drafter)]
    assert labels == [f"笔记本电脑 {laptop.number}", f"钥匙 {key.number}"]
    assert other.number not in " ".join(labels)
    assert all(
        e.outstanding and e.url == f"/admin/assets/{a.pk}/"
        for e, a in zip(handover_entries(people.drafter), [laptop, key], strict=True)
    )

    departure = departure_start(
        user=people.drafter, kind=DepartureKind.RESIGNATION, actor=make_user(RoleKey.SYSTEM_ADMIN)
    )
    for item in departure.items.all():
        departure_item_sign_off(item=item, actor=people.dept_head)
    departure_acknowledge_confidentiality(
        departure=departure, acknowledged_on=timezone.localdate(), actor=people.dept_head
    )
    with pytest.raises(ValidationError) as refused:
        departure_close(departure=departure, actor=people.dept_head)
    assert laptop.number in " ".join(refused.value.messages)

    services.asset_return(asset=laptop, actor=people.network_admin)
    services.asset_return(asset=key, actor=people.network_admin)
    assert handover_entries(people.drafter) == []
    departure_close(departure=departure, actor=people.dept_head)
    assert departure.is_closed
