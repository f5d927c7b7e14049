"""Rotation (密码、口令管理制度 一(三)), suspected leaks (一(四)), master key
rotation, and the departure list (人员离岗离职 第二、三条)."""

import datetime as dt
import secrets

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.compliance.models import Obligation, Occurrence
from ggzy.compliance.services import occurrences_generate, occurrences_mark_overdue
from ggzy.credentials import crypto
from ggzy.credentials.checks import credentials_rotated_on_schedule, no_compromised_credential_unrotated
from ggzy.credentials.choices import CredentialStatus
from ggzy.credentials.models import PendingChange, RevealGrant, SecretVersion
from ggzy.credentials.selectors import credentials_to_rotate_for

from .factories import SECRET, client_for, make_credential, people, set_by_two, start

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


# --------------------------------------------------------------------------- 一(四) suspected leak


def test_a_leak_report_marks_compromised_tells_the_head_and_fails_until_rotated(
    center, django_capture_on_commit_callbacks
):
    head, admin = people()
    credential = make_credential(admin)
    set_by_two(credential, head, admin)
    assert no_compromised_credential_unrotated(today=today()).status == "met"

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(
            reverse("credentials:leak", args=[credential.pk]), {"note": "交换机日志出现陌生地址登录成功"}
        )
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.COMPROMISED and credential.compromised_by == admin
    assert credential.rotation_due_on == today()  # due immediately
    reported = AuditEvent.objects.get(action="credentials.credential.leak_reported")
    assert reported.extra["reported_to"] == [head.username]
    assert [m.to for m in mail.outbox] == [[head.email]]
    assert "核心交换机" in mail.outbox[0].subject and "陌生地址" in mail.outbox[0].body
    assert SECRET not in mail.outbox[0].body
    result = no_compromised_credential_unrotated(today=today())
    assert result.status == "failing" and "核心交换机" in result.detail
    page = client_for(head).get(reverse("credentials:inspect", args=[credential.pk])).content.decode()
    assert 'id="credential-compromised"' in page

    # The head directs, two people rotate: the old value is kept only as history.
    set_by_two(credential, head, admin, secret="After-Leak#Rotation-2026")
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.ACTIVE
    assert no_compromised_credential_unrotated(today=today()).status == "met"
    assert AuditEvent.objects.get(action="credentials.secret.changed", extra__version=2).extra["after_leak"]
    assert SecretVersion.objects.filter(credential=credential, superseded_at__isnull=False).count() == 1


def test_only_the_network_admin_reports_a_leak(center):
    head, admin = people()
    credential = make_credential(admin)
    client = client_for(head)
    assert client.post(reverse("credentials:leak", args=[credential.pk]), {"note": "x"}).status_code == 403
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.ACTIVE
    response = client_for(admin).post(reverse("credentials:leak", args=[credential.pk]), {"note": ""})
    assert response.status_code == 200 and "请描述发现的泄密迹象" in response.content.decode()


# --------------------------------------------------------------------------- 一(三) rotation schedule


def test_each_credential_has_a_rotation_obligation_that_a_two_person_change_completes(center):
    head, admin = people()
    credential = make_credential(admin, rotation_months=1)
    obligation = Obligation.objects.get(key=credential.obligation_key)
    assert obligation.owner_role == RoleKey.NETWORK_ADMIN and obligation.rrule == "FREQ=MONTHLY;INTERVAL=1"
    assert list(obligation.clauses.values_list("key", flat=True)) == ["mm.1.3"]
    assert credentials_rotated_on_schedule(today=today()).status == "due_soon"  # registered, never set

    set_by_two(credential, head, admin)
    credential.refresh_from_db()
    due = credential.rotation_due_on
    assert due == today() + relativedelta(months=1)
    assert credentials_rotated_on_schedule(today=today()).status == "met"
    occurrences_generate(today=today())
    first = Occurrence.objects.filter(obligation=obligation).order_by("due_on").first()
    assert first is not None and first.due_on <= due

    later = due + dt.timedelta(days=3)
    with time_machine.travel(dt.datetime.combine(later, dt.time(10)).astimezone()):
        occurrences_mark_overdue(today=later)
        result = credentials_rotated_on_schedule(today=later)
        assert result.status == "overdue" and "核心交换机" in result.detail
        set_by_two(credential, admin, head, secret="Monthly#Rotation-2026ab")
        first.refresh_from_db()
        assert first.state == "done" and first.done_by == admin and first.answers == {"rotated": True}
        credential.refresh_from_db()
        assert credential.rotation_due_on == later + relativedelta(months=1)
        assert credentials_rotated_on_schedule(today=later).status == "met"


def test_changing_the_interval_updates_the_obligation(center):
    _head, admin = people()
    credential = make_credential(admin)
    from ggzy.credentials.services import credential_update

    credential_update(credential=credential, actor=admin, rotation_months=12)
    assert Obligation.objects.get(key=credential.obligation_key).rrule == "FREQ=MONTHLY;INTERVAL=12"
    updated = AuditEvent.objects.get(action="credentials.credential.updated")
    assert updated.before["rotation_months"] == 3 and updated.after["rotation_months"] == 12


# --------------------------------------------------------------------------- master key rotation


def test_master_key_rotation_rewraps_data_keys_without_touching_the_secrets(center, settings):
    head, admin = people()
    credential = make_credential(admin)
    set_by_two(credential, head, admin)
    start(client_for(head), credential, secret="Pending#Value-2026-abcd")
    old_key, new_key = settings.CREDENTIALS_MASTER_KEY, secrets.token_urlsafe(32)
    version, pending = SecretVersion.objects.get(), PendingChange.objects.get(status="pending")
    before = (bytes(version.ciphertext), bytes(pending.ciphertext), version.key_id)

    # Without the old key the vault says so and writes nothing.
    settings.CREDENTIALS_MASTER_KEY, settings.CREDENTIALS_RETIRED_MASTER_KEYS = new_key, []
    with pytest.raises(CommandError, match="not configured"):
        call_command("credentials_rewrap")
    version.refresh_from_db()
    assert version.key_id == before[2]

    settings.CREDENTIALS_RETIRED_MASTER_KEYS = [old_key]
    call_command("credentials_rewrap")
    version.refresh_from_db()
    pending.refresh_from_db()
    new_id = crypto.keyring().current_id
    assert version.key_id == pending.key_id == new_id != before[2]
    assert (bytes(version.ciphertext), bytes(pending.ciphertext)) == before[:2]
    rewrapped = AuditEvent.objects.get(action="credentials.master_key.rewrapped")
    assert rewrapped.extra == {"key_id": new_id, "versions": 1, "pending": 1}

    # The old key can go: everything opens with the new one alone.
    settings.CREDENTIALS_RETIRED_MASTER_KEYS = []
    assert crypto.open_sealed(version.sealed(), sealed_id=str(version.sealed_id)) == SECRET
    call_command("credentials_rewrap")  # nothing left to do
    assert AuditEvent.objects.filter(action="credentials.master_key.rewrapped").count() == 1


def test_a_wrong_master_key_is_a_clear_error_not_garbage(center, settings):
    head, admin = people()
    holder = make_user(RoleKey.SYSTEM_ADMIN, department="xinxi")
    credential = make_credential(admin, holders=[holder])
    set_by_two(credential, head, admin)
    version = SecretVersion.objects.get()
    right_key = settings.CREDENTIALS_MASTER_KEY
    settings.CREDENTIALS_MASTER_KEY = secrets.token_urlsafe(32)
    with pytest.raises(crypto.VaultKeyUnknown):
        crypto.open_sealed(version.sealed(), sealed_id=str(version.sealed_id))
    # Tampered in the database: the reveal is refused loudly and shows nothing.
    settings.CREDENTIALS_MASTER_KEY = right_key
    blob = bytes(version.ciphertext)
    version.ciphertext = blob[:-1] + bytes([blob[-1] ^ 1])
    version.save()
    client = client_for(holder)
    client.post(reverse("credentials:reveal_request", args=[credential.pk]), {"reason": "登录维护"})
    response = client.post(reverse("credentials:reveal_show", args=[RevealGrant.objects.get().pk]))
    assert response.status_code == 500
    assert "口令密文校验失败（主密钥不正确或密文被篡改），未显示任何内容" in response.content.decode()
    failed = AuditEvent.objects.get(action="credentials.reveal.failed")
    assert "does not authenticate" in failed.extra["reason"] and failed.outcome == "failure"
    # Nothing was marked as seen.
    assert RevealGrant.objects.get().status == "approved"
    assert not AuditEvent.objects.filter(action="credentials.secret.revealed").exists()


# --------------------------------------------------------------------------- departures


def test_credentials_to_rotate_for_a_departing_person(center):
    head, admin = people()
    holder = make_user(RoleKey.SYSTEM_ADMIN, department="xinxi")
    typed = make_credential(admin, name="门户服务器", holders=[])
    make_credential(admin, name="核心交换机", holders=[holder])
    revealed = make_credential(admin, name="防火墙", holders=[holder])
    retired = make_credential(admin, name="旧服务器", holders=[holder])
    generated = make_credential(admin, name="数据库", holders=[])
    untouched = make_credential(admin, name="堡垒机", holders=[])
    set_by_two(typed, head, admin)  # the head typed its value in
    start(client_for(head), generated, secret=None)
    from .factories import confirm

    confirm(client_for(admin), PendingChange.objects.get(credential=generated, status="pending"), admin)
    set_by_two(revealed, admin, head)
    client = client_for(holder)
    client.post(reverse("credentials:reveal_request", args=[revealed.pk]), {"reason": "巡检登录设备"})
    client.post(reverse("credentials:reveal_show", args=[RevealGrant.objects.get().pk]))
    revealed.holders.remove(holder)  # no longer a holder, but saw it
    client_for(admin).post(reverse("credentials:retire", args=[retired.pk]), {"reason": "下线"})

    assert list(credentials_to_rotate_for(holder).values_list("name", flat=True)) == ["核心交换机", "防火墙"]
    assert list(credentials_to_rotate_for(head).values_list("name", flat=True)) == ["门户服务器"]
    # The 网络管理员 typed the 防火墙's value; the generated 数据库 password was typed by no one.
    assert list(credentials_to_rotate_for(admin).values_list("name", flat=True)) == ["防火墙"]
    assert not credentials_to_rotate_for(admin).filter(pk__in=[untouched.pk, generated.pk]).exists()
