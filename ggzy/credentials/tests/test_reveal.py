"""Reveal (密码、口令管理制度 一): holders only, with a reason, once, for a short
time, never cached, audited; a second approver where the credential asks for one."""

import datetime as dt
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.credentials.choices import RevealStatus
from ggzy.credentials.models import RevealGrant

from .factories import SECRET, client_for, make_credential, people, set_by_two

pytestmark = pytest.mark.django_db


@pytest.fixture
def vault(center):
    head, admin = people()
    holder = make_user(RoleKey.SYSTEM_ADMIN, department="xinxi")
    credential = make_credential(admin, holders=[holder])
    set_by_two(credential, head, admin)
    return credential, head, admin, holder


def ask(client, credential, reason="更新服务器补丁需要登录"):
    return client.post(reverse("credentials:reveal_request", args=[credential.pk]), {"reason": reason})


def show(client, grant):
    return client.post(reverse("credentials:reveal_show", args=[grant.pk]))


def test_a_holder_sees_the_password_once_with_a_reason_and_it_is_audited(vault):
    credential, _head, _admin, holder = vault
    client = client_for(holder)
    detail = client.get(reverse("credentials:inspect", args=[credential.pk])).content.decode()
    assert SECRET not in detail and "查看口令" in detail
    response = ask(client, credential)
    grant = RevealGrant.objects.get()
    assert response.url == reverse("credentials:reveal", args=[grant.pk])
    assert grant.status == RevealStatus.APPROVED
    assert SECRET not in client.get(response.url).content.decode()

    response = show(client, grant)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<code id="revealed-secret" class="credentials-secret">{SECRET}</code>' in page
    assert "no-store" in response["Cache-Control"] and response["Pragma"] == "no-cache"
    assert 'http-equiv="refresh" content="60;' in response.content.decode()
    revealed = AuditEvent.objects.get(action="credentials.secret.revealed")
    assert revealed.actor == holder and revealed.extra["reason"] == "更新服务器补丁需要登录"
    assert revealed.extra["version"] == 1
    assert SECRET not in json.dumps([revealed.extra, revealed.before, revealed.after, revealed.object_repr])

    # Once: the same grant does not show it again, and the refusal is audited.
    again = show(client, grant)
    assert again.status_code == 403 and SECRET not in again.content.decode()
    assert "已使用过" in again.content.decode()
    assert AuditEvent.objects.filter(action="credentials.reveal.refused", extra__reason="used").exists()
    # Never in the HTML afterwards.
    assert SECRET not in client.get(reverse("credentials:inspect", args=[credential.pk])).content.decode()


def test_non_holders_are_refused_even_the_managers(vault):
    credential, head, admin, _holder = vault
    for person in (admin, head):
        client = client_for(person)
        assert client.get(reverse("credentials:reveal_request", args=[credential.pk])).status_code == 403
        assert ask(client, credential).status_code == 403
    assert not RevealGrant.objects.exists()
    refused = AuditEvent.objects.filter(action="credentials.reveal.refused", extra__reason="not a holder")
    assert refused.count() == 2
    # Someone who cannot see the credential at all gets a 404: its existence is not confirmed.
    stranger = make_user(RoleKey.DRAFTER, department="jianshe")
    assert ask(client_for(stranger), credential).status_code == 404


def test_another_person_cannot_use_a_grant(vault):
    credential, _head, _admin, holder = vault
    other_holder = make_user(RoleKey.AUDIT_ADMIN, department="xinxi")
    credential.holders.add(other_holder)
    ask(client_for(holder), credential)
    response = show(client_for(other_holder), RevealGrant.objects.get())
    assert response.status_code == 403 and SECRET not in response.content.decode()
    refused = AuditEvent.objects.filter(action="credentials.reveal.refused", extra__reason="not_requester")
    assert refused.exists()


def test_a_reason_is_required(vault):
    credential, *_, holder = vault
    response = ask(client_for(holder), credential, reason="看")
    assert response.status_code == 200 and "请说明查看口令的理由" in response.content.decode()
    assert not RevealGrant.objects.exists()


def test_an_unused_grant_expires(vault, settings):
    settings.CREDENTIALS_REVEAL_WINDOW_MINUTES = 10
    credential, *_, holder = vault
    client = client_for(holder)
    ask(client, credential)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        response = show(client, RevealGrant.objects.get())
    assert response.status_code == 403 and "已过期" in response.content.decode()


def test_a_second_approver_when_the_credential_requires_one(vault):
    credential, head, _admin, holder = vault
    credential.require_second_approver = True
    credential.save()
    client = client_for(holder)
    ask(client, credential)
    grant = RevealGrant.objects.get()
    assert grant.status == RevealStatus.AWAITING_APPROVAL
    assert show(client, grant).status_code == 403
    # The requester cannot approve their own request.
    response = client.post(reverse("credentials:reveal_decide", args=[grant.pk]), {"decision": "approve"})
    assert response.status_code == 403
    head_client = client_for(head)
    page = head_client.get(reverse("credentials:reveal", args=[grant.pk])).content.decode()
    assert "批准查看" in page and SECRET not in page
    head_client.post(reverse("credentials:reveal_decide", args=[grant.pk]), {"decision": "approve"})
    grant.refresh_from_db()
    assert grant.status == RevealStatus.APPROVED and grant.approved_by == head
    response = show(client, grant)
    assert SECRET in response.content.decode()
    revealed = AuditEvent.objects.get(action="credentials.secret.revealed")
    assert revealed.extra["approved_by"] == head.username
    # The head approved; the head still cannot see the value.
    assert show(head_client, grant).status_code == 403


def test_a_rotation_voids_grants_for_the_old_value(vault):
    credential, head, admin, holder = vault
    client = client_for(holder)
    ask(client, credential)
    grant = RevealGrant.objects.get()
    set_by_two(credential, admin, head, secret="Brand-New#Value-2026xyz")
    assert show(client, grant).status_code == 403
    ask(client, credential)
    assert "Brand-New#Value-2026xyz" in show(client, RevealGrant.objects.latest("pk")).content.decode()


def test_retired_credentials_reveal_nothing(vault):
    credential, _head, admin, holder = vault
    client_for(admin).post(reverse("credentials:retire", args=[credential.pk]), {"reason": "服务器已下线"})
    credential.refresh_from_db()
    assert credential.status == "retired"
    response = ask(client_for(holder), credential)
    assert response.status_code == 200 and "该口令已停用" in response.content.decode()
    from ggzy.compliance.models import Obligation

    assert not Obligation.objects.get(key=credential.obligation_key).active
