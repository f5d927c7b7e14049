"""Two people present (密码、口令管理制度 一(一)) and the password rule (一(二)),
through HTTP: the 部门负责人 and the 网络管理员, each with their own password and
TOTP code, different people, within the confirmation window."""

import datetime as dt
import json

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.credentials import crypto, services
from ggzy.credentials.choices import ChangeStatus
from ggzy.credentials.models import PendingChange, SecretVersion

from .factories import SECRET, client_for, confirm, make_credential, people, set_by_two, start

pytestmark = pytest.mark.django_db


def refusals(reason):
    return AuditEvent.objects.filter(action="credentials.change.confirm_refused", extra__reason=reason)


def test_head_starts_and_network_admin_confirms_with_password_and_totp(center):
    head, admin = people()
    credential = make_credential(admin)
    head_client = client_for(head)
    response = start(head_client, credential)
    change = PendingChange.objects.get(credential=credential)
    assert response.status_code == 302 and response.url == reverse("credentials:change", args=[change.pk])
    assert change.status == ChangeStatus.PENDING and change.started_by == head
    assert SECRET.encode() not in bytes(change.ciphertext)
    # The starter sees the waiting page, not a confirm form.
    page = head_client.get(reverse("credentials:change", args=[change.pk])).content.decode()
    assert 'id="change-waiting"' in page and "change-confirm-form" not in page

    admin_client = client_for(admin)
    page = admin_client.get(reverse("credentials:change", args=[change.pk])).content.decode()
    assert "change-confirm-form" in page
    response = confirm(admin_client, change, admin)
    assert response.status_code == 302
    change.refresh_from_db()
    version = SecretVersion.objects.get(credential=credential)
    assert change.status == ChangeStatus.CONFIRMED and change.version == version
    assert (version.set_by, version.confirmed_by, version.number) == (head, admin, 1)
    assert bytes(change.ciphertext) == b""  # the value moved to the version, not kept twice
    assert crypto.open_sealed(version.sealed(), sealed_id=str(version.sealed_id)) == SECRET
    credential.refresh_from_db()
    # 一(三): quarterly by default, counted from this change.
    assert credential.rotation_due_on == timezone.localdate() + relativedelta(months=3)
    changed = AuditEvent.objects.get(action="credentials.secret.changed")
    assert changed.actor == admin and changed.extra["set_by"] == head.username
    assert changed.extra["confirmed_by"] == admin.username and changed.extra["version"] == 1
    assert AuditEvent.objects.filter(action="accounts.mfa.verified", actor=admin).exists()


def test_network_admin_may_start_and_the_head_confirm(center):
    head, admin = people()
    credential = make_credential(head)
    change = set_by_two(credential, admin, head)
    assert change.status == ChangeStatus.CONFIRMED


def test_wrong_totp_is_refused_audited_and_the_change_stays_pending(center):
    head, admin = people()
    credential = make_credential(admin)
    start(client_for(head), credential)
    change = PendingChange.objects.get()
    response = confirm(client_for(admin), change, admin, code="000000")
    assert response.status_code == 200
    assert "动态验证码不正确或已使用过。" in response.content.decode()
    assert refusals("wrong_otp").filter(actor=admin).count() == 1
    assert AuditEvent.objects.filter(action="accounts.mfa.failed", actor=admin).exists()
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING and not SecretVersion.objects.exists()
    # Not six digits (a recovery code is no TOTP code here).
    response = confirm(client_for(admin), change, admin, code="abcd-efgh")
    assert "请输入验证器上的 6 位动态验证码。" in response.content.decode()


def test_wrong_password_is_refused(center):
    head, admin = people()
    credential = make_credential(admin)
    start(client_for(head), credential)
    response = confirm(client_for(admin), PendingChange.objects.get(), admin, password="not-my-password")
    assert "登录密码不正确。" in response.content.decode()
    assert refusals("wrong_password").count() == 1
    assert AuditEvent.objects.filter(action="accounts.login.failed").exists()  # counts towards lockout
    assert not SecretVersion.objects.exists()


def test_the_same_person_cannot_confirm_their_own_change(center):
    # Even a person holding both roles needs a second person.
    both = make_user(RoleKey.DEPARTMENT_HEAD, RoleKey.NETWORK_ADMIN, department="xinxi")
    credential = make_credential(both)
    client = client_for(both)
    start(client, credential)
    change = PendingChange.objects.get()
    response = confirm(client, change, both)
    assert "确认人不能是发起人本人" in response.content.decode()
    assert refusals("same_person").count() == 1 and not SecretVersion.objects.exists()


def test_two_network_admins_are_not_the_pair_of_the_regulation(center):
    _, admin = people()
    other_admin = make_user(RoleKey.NETWORK_ADMIN, department="xinxi")
    credential = make_credential(admin)
    start(client_for(admin), credential)
    response = confirm(client_for(other_admin), PendingChange.objects.get(), other_admin)
    assert "科室负责人和网络管理员两人共同完成" in response.content.decode()
    assert refusals("wrong_roles").count() == 1


def test_head_of_another_department_neither_sees_nor_confirms(center):
    _head, admin = people()
    other_head = make_user(RoleKey.DEPARTMENT_HEAD, department="zonghe")
    credential = make_credential(admin)
    start(client_for(admin), credential)
    change = PendingChange.objects.get()
    client = client_for(other_head)
    assert client.get(reverse("credentials:change", args=[change.pk])).status_code == 404
    assert confirm(client, change, other_head).status_code == 404
    assert not SecretVersion.objects.exists()


def test_a_change_not_confirmed_in_time_expires_and_drops_its_value(center, settings):
    settings.CREDENTIALS_CONFIRM_MINUTES = 5
    head, admin = people()
    credential = make_credential(admin)
    start(client_for(head), credential)
    change = PendingChange.objects.get()
    admin_client = client_for(admin)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5, seconds=1)):
        response = confirm(admin_client, change, admin)
    assert "已超过确认时限（5 分钟）" in response.content.decode()
    change.refresh_from_db()
    assert change.status == ChangeStatus.EXPIRED and bytes(change.ciphertext) == b""
    assert refusals("expired").count() == 1
    assert AuditEvent.objects.filter(action="credentials.change.expired").count() == 1
    assert not SecretVersion.objects.exists()


def test_the_expire_command_voids_stale_changes(center):
    from django.core.management import call_command

    head, admin = people()
    credential = make_credential(admin)
    start(client_for(head), credential)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=30)):
        call_command("credentials_expire")
    assert PendingChange.objects.get().status == ChangeStatus.EXPIRED


def test_a_rotation_supersedes_the_old_value_which_stays_sealed_as_history(center):
    head, admin = people()
    credential = make_credential(admin)
    set_by_two(credential, head, admin)
    set_by_two(credential, admin, head, secret="Second!Value-2026#abcd")
    old, new = SecretVersion.objects.order_by("number")
    assert old.superseded_at is not None and new.superseded_at is None
    assert credential.current_version() == new
    assert crypto.open_sealed(old.sealed(), sealed_id=str(old.sealed_id)) == SECRET


# --------------------------------------------------------------------------- 一(二) the password rule


@pytest.mark.parametrize(
    "password,message",
    [
        ("Short#1a", "口令长度不得少于 16 位（当前 8 位）"),
        ("abcdefghijklmnop#", "缺少：数字"),
        ("1234567890123456#", "缺少：字母"),
        ("abcdefgh12345678", "缺少：特殊字符"),
        ("abcdefghijklmnop", "缺少：数字、特殊字符"),
        ("abcd efgh 1234 #!", "不能包含空格"),
    ],
)
def test_the_password_rule_refuses_weak_server_passwords(center, password, message):
    head, admin = people()
    credential = make_credential(admin)
    response = start(client_for(head), credential, secret=password)
    assert response.status_code == 200 and message in response.content.decode()
    assert password not in response.content.decode()  # the typed value is not sent back
    assert not PendingChange.objects.exists()


def test_sixteen_characters_with_all_three_classes_pass():
    assert services.server_password_problems("Abcdefghijk1234#") == []


def test_generated_passwords_follow_the_rule_and_differ():
    generated = {services.password_generate() for _ in range(50)}
    assert len(generated) == 50
    assert all(len(p) == 24 and not services.server_password_problems(p) for p in generated)


def test_a_generated_password_is_never_shown_to_the_starter(center):
    head, admin = people()
    credential = make_credential(admin)
    head_client = client_for(head)
    response = start(head_client, credential, secret=None)
    change = PendingChange.objects.get()
    assert change.generated
    plain = crypto.open_sealed(change.sealed(), sealed_id=str(change.sealed_id))
    assert not services.server_password_problems(plain)
    page = head_client.get(response.url).content.decode()
    assert plain not in page
    confirm(client_for(admin), change, admin)
    assert SecretVersion.objects.get().generated


def test_nothing_secret_in_audit_data(center):
    head, admin = people()
    credential = make_credential(admin, holders=[head])
    set_by_two(credential, head, admin)
    blob = json.dumps(list(AuditEvent.objects.values("before", "after", "extra", "object_repr")), default=str)
    assert SECRET not in blob
    assert "Test-Passw0rd" not in blob
