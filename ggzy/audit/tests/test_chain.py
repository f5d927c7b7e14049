"""The hash chain: recorded in the caller's transaction, verified, tamper-evident."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.guard import AuditImmutableError, allow_purge
from ggzy.audit.hashing import event_hash, scrub
from ggzy.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent
from ggzy.audit.services import checkpoint_create, record
from ggzy.audit.verify import verify_chain

from .factories import make_events, tamper

pytestmark = pytest.mark.django_db


def verify_cmd(*args):
    """Run audit_verify; returns (exit code, output)."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue() + err.getvalue()


def test_record_chains_each_event_to_the_previous():
    user = make_user(RoleKey.WEBSITE_ADMIN)
    start = AuditChainHead.objects.get(pk=1).seq
    first, second = make_events(2, actor=user)
    assert second.seq == first.seq + 1 == start + 2
    assert second.prev_hash == first.hash
    assert first.actor == user and first.actor_username == user.username
    assert first.hash == event_hash({f: getattr(first, f) for f in first.__dict__})
    assert AuditChainHead.objects.get(pk=1).hash == second.hash


def test_the_first_event_starts_from_the_genesis_hash():
    make_events(1)
    first = AuditEvent.objects.order_by("seq").first()
    assert first.seq == 1 and first.prev_hash == GENESIS_HASH


def test_secrets_are_never_recorded():
    event = record(
        action="tests.thing.changed",
        before={"password": "x", "username": "a", "nested": {"otp_secret": "y", "ok": 1}},
        after={"api_token": "z", "new_password1": "p", "email": "a@example.cn"},
        session_key="s",
        note="kept",
    )
    event.refresh_from_db()
    assert event.before == {"username": "a", "nested": {"ok": 1}}
    assert event.after == {"email": "a@example.cn"}
    assert event.extra == {"note": "kept"}
    assert scrub({"TOKEN": 1, "Passwd": 2, "role": 3}) == {"role": 3}


def test_action_must_be_namespaced():
    with pytest.raises(ValueError):
        record(action="login")


def test_event_is_rolled_back_with_the_change_it_records():
    head = AuditChainHead.objects.get(pk=1).seq
    with pytest.raises(RuntimeError), transaction.atomic():
        record(action="tests.thing.done")
        raise RuntimeError
    assert AuditChainHead.objects.get(pk=1).seq == head
    assert not AuditEvent.objects.filter(seq=head + 1).exists()


def test_sm3_can_be_selected(settings):
    settings.AUDIT_HASH = "sm3"
    event = record(action="tests.thing.done")
    assert event.hash_alg == "sm3"
    # GB/T 32905 test vector, through the same digest function.
    from ggzy.audit.hashing import digest

    assert digest(b"abc", "sm3") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert verify_chain().ok


# --------------------------------------------------------------------------- immutability


def test_orm_refuses_to_update_or_delete_events():
    event = make_events(1)[0]
    event.action = "tests.thing.hidden"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tests.thing.hidden")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_database_triggers_refuse_raw_update_and_delete():
    event = make_events(1)[0]
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x.y.z' WHERE id = %s", [event.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with allow_purge(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert not AuditEvent.objects.filter(pk=event.pk).exists()


def test_removing_a_user_keeps_the_events_with_the_copied_name():
    user = make_user(RoleKey.DRAFTER)
    event = record(action="tests.thing.done", actor=user)
    user.delete()
    event.refresh_from_db()
    assert event.actor is None and event.actor_username == user.username
    assert verify_chain().ok


# --------------------------------------------------------------------------- verification


def test_verify_passes_on_an_intact_chain():
    make_events(5)
    checkpoint_create()
    code, output = verify_cmd()
    assert code == 0, output
    assert f"已校验 {AuditEvent.objects.count()} 条事件" in output


def test_verify_catches_an_edited_row():
    events = make_events(5)
    victim = events[2]
    tamper("UPDATE audit_auditevent SET object_repr = 'nothing to see' WHERE id = %s", [victim.pk])
    code, output = verify_cmd()
    assert code == 1
    assert f"id={victim.pk}" in output and "摘要不匹配" in output


def test_verify_catches_an_edit_that_recomputed_the_hash():
    events = make_events(5)
    victim = events[1]
    fields = {f: getattr(victim, f) for f in victim.__dict__}
    fields["object_repr"] = "forged"
    tamper(
        "UPDATE audit_auditevent SET object_repr = 'forged', hash = %s WHERE id = %s",
        [event_hash(fields), victim.pk],
    )
    code, output = verify_cmd()
    assert code == 1
    assert f"id={events[2].pk}" in output  # the next event no longer follows


def test_verify_catches_a_deleted_row():
    events = make_events(5)
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    code, output = verify_cmd()
    assert code == 1
    assert f"id={events[3].pk}" in output and "序号不连续" in output


def test_verify_catches_deleted_rows_at_the_end_against_the_signed_checkpoint():
    events = make_events(5)
    checkpoint_create()
    tamper("DELETE FROM audit_auditevent WHERE seq >= %s", [events[3].seq])
    tamper("UPDATE audit_auditchainhead SET seq = %s, hash = %s", [events[2].seq, events[2].hash])
    code, output = verify_cmd()
    assert code == 1
    assert "检查点" in output


def test_verify_catches_a_deleted_first_row():
    make_events(2)
    tamper("DELETE FROM audit_auditevent WHERE seq = 1")
    code, output = verify_cmd()
    assert code == 1 and "首个事件之前" in output


def test_verify_catches_an_inserted_row():
    events = make_events(3)
    last = events[-1]
    # A row slipped in between with a forged hash, and the following seqs shifted up.
    tamper("UPDATE audit_auditevent SET seq = seq + 1000000 WHERE seq > %s", [events[0].seq])
    tamper(
        "INSERT INTO audit_auditevent (seq, time, actor_username, request_id, action, object_type, object_id,"
        " object_repr, outcome, extra, hash_alg, prev_hash, hash)"
        " VALUES (%s, %s, 'ghost', '', 'tests.thing.done', '', '', '', 'success', '{}', 'sha256', %s, %s)",
        [events[0].seq + 1, events[0].time, events[0].hash, "f" * 64],
    )
    code, output = verify_cmd()
    assert code == 1
    inserted = AuditEvent.objects.get(actor_username="ghost")
    assert f"id={inserted.pk}" in output
    assert last.pk != inserted.pk


def test_verify_catches_a_row_inserted_out_of_order_with_a_valid_hash():
    events = make_events(3)
    # Reorder: swap ids of two consecutive events so id order contradicts seq order.
    a, b = events[0], events[1]
    tamper("UPDATE audit_auditevent SET id = -1 WHERE id = %s", [a.pk])
    tamper("UPDATE audit_auditevent SET id = %s WHERE id = %s", [a.pk, b.pk])
    tamper("UPDATE audit_auditevent SET id = %s WHERE id = -1", [b.pk])
    code, output = verify_cmd()
    assert code == 1 and "乱序" in output


def test_verify_refuses_a_forged_checkpoint():
    make_events(2)
    tamper(
        "INSERT INTO audit_auditcheckpoint (created_at, seq, hash, kind, mac)"
        " VALUES (%s, 1, %s, 'periodic', %s)",
        ["2026-01-01 00:00:00", "a" * 64, "b" * 64],
    )
    code, output = verify_cmd()
    assert code == 1 and "签名无效" in output


def test_verify_since_a_date_checks_only_later_events():
    import time_machine

    with time_machine.travel("2027-03-01 10:00 +0800", tick=False):
        old = make_events(2)
    with time_machine.travel("2027-04-01 10:00 +0800", tick=False):
        make_events(3)
    tamper("UPDATE audit_auditevent SET object_repr = 'x' WHERE id = %s", [old[0].pk])
    code, output = verify_cmd("--since", "2027-03-15")
    assert code == 0, output
    assert "已校验 3 条事件" in output
    assert verify_cmd()[0] == 1


def test_checkpoints_survive_key_rotation_with_the_retired_key(settings):
    make_events(2)
    old_key = settings.AUDIT_HMAC_KEY
    checkpoint_create()
    settings.AUDIT_HMAC_KEY = "a-brand-new-key-0123456789abcdefghijklmnop"
    assert not verify_chain().ok
    settings.AUDIT_HMAC_RETIRED_KEYS = [old_key]
    assert verify_chain().ok


def test_verify_since_the_start_of_the_log_begins_at_genesis():
    """Issue 14 item 8: a range starting at the first event has no event 0 before it."""
    make_events(3)
    total = AuditEvent.objects.count()
    assert AuditEvent.objects.order_by("seq").first().seq == 1
    code, output = verify_cmd("--since", "2000-01-01")
    assert code == 0, output
    assert f"已校验 {total} 条事件" in output
    # A forged first event is still caught from the start of the range.
    tamper("UPDATE audit_auditevent SET prev_hash = %s WHERE seq = 1", ["1" * 64])
    code, output = verify_cmd("--since", "2000-01-01")
    assert code == 1 and "前一摘要不匹配" in output


def test_verify_since_the_last_event_and_after_it():
    import time_machine

    make_events(2)
    with time_machine.travel("2099-04-01 10:00 +0800", tick=False):
        make_events(1)
    code, output = verify_cmd("--since", "2099-04-01")  # the range holds only the last event
    assert code == 0, output
    assert "已校验 1 条事件" in output
    code, output = verify_cmd("--since", "2099-05-01")  # an empty range, after the last event
    assert code == 0, output
    assert "没有需要校验的事件" in output


# --------------------------------------------------------------------------- keyed chain (issue 14 item 9)


def _forge_next(hash_fn, **overrides):
    """Append an event as someone with database write access but no key would."""
    from django.utils import timezone

    head = AuditChainHead.objects.get(pk=1)
    fields = {
        "seq": head.seq + 1,
        "time": timezone.now(),
        "actor_username": "ghost",
        "ip": None,
        "request_id": "",
        "action": "accounts.login.succeeded",
        "object_type": "",
        "object_id": "",
        "object_repr": "",
        "outcome": "success",
        "before": None,
        "after": None,
        "extra": {},
        "hash_alg": "sha256",
        "prev_hash": head.hash,
        **overrides,
    }
    fields["hash"] = hash_fn(fields)
    tamper(
        "INSERT INTO audit_auditevent (seq, time, actor_username, request_id, action, object_type, object_id,"
        " object_repr, outcome, extra, hash_alg, prev_hash, hash, chain_version)"
        " VALUES (%s, %s, 'ghost', '', %s, '', '', '', 'success', '{}', 'sha256', %s, %s, %s)",
        [
            fields["seq"],
            fields["time"],
            fields["action"],
            fields["prev_hash"],
            fields["hash"],
            fields.get("chain_version", 1),
        ],
    )
    tamper("UPDATE audit_auditchainhead SET seq = %s, hash = %s", [fields["seq"], fields["hash"]])
    checkpoint_create()  # the next periodic checkpoint signs whatever the head is


def test_new_events_are_keyed():
    from ggzy.audit.hashing import CURRENT_CHAIN_VERSION, canonical, digest

    (event,) = make_events(1)
    event.refresh_from_db()
    assert event.chain_version == CURRENT_CHAIN_VERSION == 2
    plain = digest(canonical({f: getattr(event, f) for f in event.__dict__}), "sha256")
    assert event.hash != plain


def test_a_forged_tail_with_a_plain_hash_fails_verification():
    from ggzy.audit.hashing import canonical, digest

    make_events(2)
    _forge_next(lambda f: digest(canonical(f), f["hash_alg"]))  # a plain (version 1) event
    result = verify_chain()
    assert not result.ok and result.broken_seq == AuditChainHead.objects.get(pk=1).seq
    code, output = verify_cmd()
    assert code == 1 and "ghost" not in output and "链版本回退" in output


def test_a_forged_tail_claiming_version_2_without_the_key_fails_verification():
    from ggzy.audit.hashing import event_hash

    make_events(2)
    _forge_next(lambda f: event_hash(f, key="a guess at the key"), chain_version=2)
    result = verify_chain()
    assert not result.ok and "摘要不匹配" in result.message


def test_old_plain_events_still_verify_before_keyed_ones():
    """A log written before the keyed chain (version 1, plain digests, as the old code
    and the migration left them) verifies, and so do the keyed events that follow."""
    from ggzy.audit.guard import allow_purge
    from ggzy.audit.hashing import canonical, digest
    from ggzy.audit.models import AuditCheckpoint

    with allow_purge():
        AuditEvent.objects.all().delete()
    tamper("DELETE FROM audit_auditcheckpoint")
    tamper("UPDATE audit_auditchainhead SET seq = 0, hash = %s", [GENESIS_HASH])
    for _ in range(3):
        _forge_next(lambda f: digest(canonical(f), f["hash_alg"]))
    assert set(AuditEvent.objects.values_list("chain_version", flat=True)) == {1}
    assert verify_chain().ok
    make_events(2)
    checkpoint_create()
    assert list(AuditEvent.objects.order_by("seq").values_list("chain_version", flat=True)) == [1, 1, 1, 2, 2]
    result = verify_chain()
    assert result.ok and result.count == 5, result.message
    assert AuditCheckpoint.objects.count() == 4


def test_hmac_sm3_matches_openssl():
    from ggzy.audit.hashing import keyed_digest

    # `echo -n abc | openssl dgst -sm3 -hmac key`, and a key longer than a block
    assert (
        keyed_digest(b"key", b"abc", "sm3")
        == "28e63256e7c5a087b1f073265dc53092163f7b82729735d06f28f10af9d52393"
    )
    assert (
        keyed_digest(b"k" * 100, b"abc", "sm3")
        == "2d87dd3ffa1452e8e40d9123a02824fb7dd98ae4a52683287245f1736dc610ef"
    )


def test_sm3_events_are_keyed_and_verify(settings):
    settings.AUDIT_HASH = "sm3"
    (event,) = make_events(1)
    event.refresh_from_db()
    assert event.hash_alg == "sm3" and event.chain_version == 2
    assert verify_chain().ok
