"""The vault's record in the admin: registered and edited through the services
(one audit event each, with before/after), listed to whom may see it."""

import pytest
from django.urls import reverse

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import Department
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.compliance.models import Obligation
from ggzy.credentials.models import Credential

from .factories import client_for, make_credential, people

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {
        "name": "门户服务器 root",
        "kind": "server",
        "target": "10.1.1.10",
        "username": "root",
        "department": Department.objects.get(code="xinxi").pk,
        "rotation_months": 3,
    }
    data.update(overrides)
    return data


def test_the_network_admin_registers_and_edits_a_credential(center):
    head, admin = people()
    holder = make_user(RoleKey.SYSTEM_ADMIN, department="xinxi")
    client = client_for(admin)
    response = client.post(reverse("credentials:add"), form(holders=[holder.pk]))
    credential = Credential.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("credentials:inspect", args=[credential.pk])
    assert list(credential.holders.all()) == [holder] and credential.created_by == admin
    assert Obligation.objects.filter(key=credential.obligation_key, active=True).exists()
    assert AuditEvent.objects.filter(action="credentials.credential.created").count() == 1

    response = client.post(
        reverse("credentials:edit", args=[credential.pk]),
        form(holders=[holder.pk, head.pk], require_second_approver="on", rotation_months=1),
    )
    assert response.status_code == 302
    updated = AuditEvent.objects.filter(action="credentials.credential.updated")
    assert updated.count() == 1
    event = updated.get()
    assert event.before["require_second_approver"] is False and event.after["require_second_approver"] is True
    assert len(event.after["holders"]) == 2
    assert Obligation.objects.get(key=credential.obligation_key).rrule == "FREQ=MONTHLY;INTERVAL=1"


def test_a_department_head_manages_only_their_departments_credentials(center):
    head, admin = people()
    mine = make_credential(admin, name="信息科服务器")
    theirs = make_credential(admin, name="综合科 OA", department="zonghe")
    client = client_for(head)
    listing = client.get(reverse("credentials:index")).content.decode()
    assert "信息科服务器" in listing and "综合科 OA" not in listing
    assert client.get(reverse("credentials:inspect", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("credentials:edit", args=[mine.pk])).status_code == 200
    # Nor can the head register one for another department.
    response = client.post(reverse("credentials:add"), form(name="越权", department=theirs.department_id))
    assert not Credential.objects.filter(name="越权").exists()
    assert response.status_code in (200, 302, 403)


def test_the_list_shows_no_secret_fields_and_holders_see_their_own(center):
    _head, admin = people()
    holder = make_user(RoleKey.DRAFTER, department="jianshe")
    make_credential(admin, name="防火墙", holders=[holder])
    make_credential(admin, name="核心交换机")
    listing = client_for(holder).get(reverse("credentials:index")).content.decode()
    assert "防火墙" in listing and "核心交换机" not in listing
    # Someone with no credential and no vault role does not get the vault at all.
    outsider = make_user(RoleKey.PUBLISHER, department="jianshe")
    assert client_for(outsider).get(reverse("credentials:index")).status_code in (302, 403)
