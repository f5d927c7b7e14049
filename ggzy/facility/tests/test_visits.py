"""Visitor register (网络机房管理制度 二(八)、三(四)(五); 监控管理制度 六; 网络设备管理制度
第四条): no entry without the responsible person's approval, ID and overshoes checked,
refused and expired requests kept, attempts audited."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.facility import services
from ggzy.facility.choices import RoomKind, VisitState
from ggzy.facility.models import Visit

from .factories import keeper, machine_room

pytestmark = pytest.mark.django_db


def _request(room, actor, day=None):
    return services.visit_request(
        room=room,
        actor=actor,
        visitor="王工",
        company="焦作某网络技术有限公司",
        purpose="更换交换机电源",
        escort="张明",
        planned_on=day or timezone.localdate(),
    )


def test_a_visitor_enters_only_after_approval_with_id_and_overshoes(center):
    admin = keeper()
    it_head = make_user(RoleKey.DEPARTMENT_HEAD, department="xinxi")
    room = machine_room(admin)
    visit = _request(room, admin)
    with pytest.raises(ValidationError, match="未经批准"):
        services.visit_enter(visit=visit, actor=admin, id_checked=True, overshoes=True)
    assert AuditEvent.objects.filter(action="facility.visit.refused_entry", outcome="failure").count() == 1
    with pytest.raises(PermissionDenied):
        services.visit_decide(
            visit=visit, actor=make_user(RoleKey.DEPARTMENT_HEAD, department="jianshe"), approve=True
        )
    with pytest.raises(PermissionDenied):
        services.visit_decide(visit=visit, actor=admin, approve=True)  # the keeper does not approve their own
    services.visit_decide(visit=visit, actor=it_head, approve=True)
    with pytest.raises(ValidationError, match="鞋套"):
        services.visit_enter(visit=visit, actor=admin, id_checked=True, overshoes=False)
    with pytest.raises(ValidationError, match="身份证明"):
        services.visit_enter(visit=visit, actor=admin, id_checked=False, overshoes=True)
    services.visit_enter(visit=visit, actor=admin, id_checked=True, overshoes=True)
    services.visit_leave(visit=visit, actor=admin)
    visit.refresh_from_db()
    assert visit.state == VisitState.LEFT and visit.entered_at <= visit.left_at
    assert visit.decided_by == it_head


def test_refused_and_expired_requests_are_kept(center):
    admin = keeper()
    it_head = make_user(RoleKey.DEPARTMENT_HEAD, department="xinxi")
    room = machine_room(admin)
    refused = _request(room, admin)
    with pytest.raises(ValidationError, match="理由"):
        services.visit_decide(visit=refused, actor=it_head, approve=False)
    services.visit_decide(visit=refused, actor=it_head, approve=False, note="无维护计划")
    later = _request(room, admin)
    services.visit_decide(visit=later, actor=it_head, approve=True)
    with (
        time_machine.travel(timezone.now() + dt.timedelta(days=2)),
        pytest.raises(ValidationError, match="已过期"),
    ):
        services.visit_enter(visit=later, actor=admin, id_checked=True, overshoes=True)
    assert dict(Visit.objects.values_list("pk", "state")) == {
        refused.pk: VisitState.REFUSED,
        later.pk: VisitState.EXPIRED,
    }


def test_the_monitoring_room_is_approved_by_the_head_of_supervision(center):
    watcher = make_user(RoleKey.MONITORING_ADMIN)
    room = services.room_create(name="监控室", kind=RoomKind.MONITORING_ROOM, actor=watcher)
    visit = _request(room, watcher)
    with pytest.raises(PermissionDenied):
        services.visit_decide(
            visit=visit, actor=make_user(RoleKey.DEPARTMENT_HEAD, department="xinxi"), approve=True
        )
    services.visit_decide(
        visit=visit, actor=make_user(RoleKey.DEPARTMENT_HEAD, department="jiandu"), approve=True
    )
    assert Visit.objects.get().state == VisitState.APPROVED


def test_the_days_visitors_prefill_the_duty_log(center, client):
    from ggzy.accounts.tests.factories import login_as

    admin = keeper()
    room = machine_room(admin)
    visit = _request(room, admin)
    services.visit_decide(
        visit=visit, actor=make_user(RoleKey.DEPARTMENT_HEAD, department="xinxi"), approve=True
    )
    services.visit_enter(visit=visit, actor=admin, id_checked=True, overshoes=True)
    text = services.duty_log_visitors(room=room, day=timezone.localdate())
    assert text.startswith("共 1 人次") and "王工（焦作某网络技术有限公司）" in text and "未离开" in text
    services.visit_leave(visit=visit, actor=admin)
    assert "未离开" not in services.duty_log_visitors(room=room, day=timezone.localdate())
    assert services.duty_log_visitors(room=room, day=timezone.localdate() - dt.timedelta(days=1)) == ""
    login_as(client, admin)
    page = client.get(f"/admin/facility/rooms/{room.pk}/log/{timezone.localdate().isoformat()}/")
    assert "更换交换机电源，陪同 张明" in page.content.decode()
