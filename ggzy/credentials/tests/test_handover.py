"""A departing person's passwords (人员离岗离职信息安全管理规定 第二、三条): every
credential they could see is listed on the departure, to be changed; the
departure cannot close until each was changed after it began."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.credentials.handover import credentials_to_change
from ggzy.departures.choices import DepartureKind
from ggzy.departures.handover import handover_entries
from ggzy.departures.services import (
    departure_acknowledge_confidentiality,
    departure_close,
    departure_item_sign_off,
    departure_start,
)

from .factories import NEXT_SECRET, make_credential, people, set_by_two

pytestmark = pytest.mark.django_db


def test_a_departure_waits_for_every_password_the_person_could_see(center):
    head, admin = people()
    leaving = make_user(RoleKey.DRAFTER, department="xinxi", username="liming")
    switch = make_credential(admin, name="核心交换机", holders=[leaving], target="10.0.0.1")
    make_credential(admin, name="备用防火墙", holders=[leaving])  # never set: nothing to change
    make_credential(admin, name="堡垒机")  # not theirs: not listed
    with time_machine.travel(timezone.now() - timezone.timedelta(days=30)):
        set_by_two(switch, admin, head)

    departure = departure_start(
        user=leaving, kind=DepartureKind.RESIGNATION, actor=make_user(RoleKey.SYSTEM_ADMIN)
    )
    for item in departure.items.all():
        departure_item_sign_off(item=item, actor=head)
    departure_acknowledge_confidentiality(
        departure=departure, acknowledged_on=timezone.localdate(), actor=head
    )

    entries = {entry.label: entry for entry in credentials_to_change(leaving)}
    assert set(entries) == {"核心交换机", "备用防火墙"}
    assert entries["核心交换机"].outstanding and entries["核心交换机"].status == "待更换"
    assert entries["核心交换机"].detail == "admin@10.0.0.1（信息科）"
    assert not entries["备用防火墙"].outstanding and entries["备用防火墙"].status == "尚未设定口令"
    assert [e.label for e in handover_entries(leaving) if e.outstanding] == ["核心交换机"]

    with pytest.raises(ValidationError) as refused:
        departure_close(departure=departure, actor=head)
    assert "核心交换机" in str(refused.value)
    departure.refresh_from_db()
    assert not departure.is_closed

    set_by_two(switch, head, admin, NEXT_SECRET)  # changed after the departure began
    (entry,) = [e for e in credentials_to_change(leaving) if e.label == "核心交换机"]
    assert not entry.outstanding and entry.status == "已更换"
    departure_close(departure=departure, actor=head)
    departure.refresh_from_db()
    assert departure.is_closed
