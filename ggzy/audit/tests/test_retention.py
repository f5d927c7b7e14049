"""Archive, purge after retention, and verification of an archive on its own."""

import gzip
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from ggzy.audit.guard import AuditImmutableError
from ggzy.audit.models import AuditCheckpoint, AuditEvent
from ggzy.audit.retention import audit_purge
from ggzy.audit.verify import verify_chain

from .factories import make_events
from .test_chain import verify_cmd

pytestmark = pytest.mark.django_db


def run(name, *args):
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def test_export_writes_a_month_that_verifies_on_its_own(tmp_path):
    with time_machine.travel("2027-05-10 09:00 +0800", tick=False):
        may = make_events(4)
    with time_machine.travel("2027-06-02 09:00 +0800", tick=False):
        make_events(2)
    output = run("audit_export", "--month", "2027-05", "--out", str(tmp_path))
    assert "exported 4 events" in output
    archive = tmp_path / "audit-2027-05.jsonl.gz"
    manifest = json.loads((tmp_path / "audit-2027-05.jsonl.gz.manifest.json").read_text())
    assert (
        manifest["count"] == 4 and manifest["first_seq"] == may[0].seq and manifest["last_seq"] == may[-1].seq
    )
    assert AuditEvent.objects.filter(action="audit.log.exported").exists()
    code, text = verify_cmd("--archive", str(archive))
    assert code == 0, text
    assert "4 条事件" in text


def test_an_edited_archive_is_caught(tmp_path):
    with time_machine.travel("2027-05-10 09:00 +0800", tick=False):
        make_events(3)
    run("audit_export", "--month", "2027-05", "--out", str(tmp_path))
    archive = tmp_path / "audit-2027-05.jsonl.gz"
    lines = gzip.decompress(archive.read_bytes()).decode().splitlines()
    row = json.loads(lines[1])
    row["object_repr"] = "forged"
    lines[1] = json.dumps(row, ensure_ascii=False)
    archive.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    code, text = verify_cmd("--archive", str(archive))
    assert code == 1 and "SHA-256" in text
    # Even with the manifest's file hash fixed up, the chain inside does not hold:
    # the manifest signature no longer matches.
    manifest_file = tmp_path / "audit-2027-05.jsonl.gz.manifest.json"
    manifest = json.loads(manifest_file.read_text())
    from ggzy.audit.verify import file_sha256

    manifest["sha256"] = file_sha256(archive)
    manifest_file.write_text(json.dumps(manifest))
    code, text = verify_cmd("--archive", str(archive))
    assert code == 1 and "签名无效" in text


def test_purge_archives_checkpoints_and_deletes_oldest_first(tmp_path, settings):
    settings.AUDIT_RETENTION_DAYS = 180
    with time_machine.travel("2027-01-05 09:00 +0800", tick=False):
        old = make_events(3)
    with time_machine.travel("2027-08-01 09:00 +0800", tick=False):
        recent = make_events(2)
        result = audit_purge(out_dir=tmp_path)
    # Everything up to the newest expired event (including the session's setup events) is gone.
    assert result.last_seq == old[-1].seq
    assert not AuditEvent.objects.filter(seq__lte=old[-1].seq).exists()
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in recent]).count() == 2
    assert AuditCheckpoint.objects.filter(kind="purge", seq=old[-1].seq).exists()
    assert AuditEvent.objects.filter(action="audit.log.purged").exists()
    assert verify_chain().ok, verify_chain().message
    assert verify_cmd("--archive", str(result.path))[0] == 0


def test_purge_command_with_nothing_to_do_and_dry_run(tmp_path):
    make_events(1)
    assert "nothing older" in run("audit_purge", "--out", str(tmp_path))
    with time_machine.travel("2030-01-01 00:00 +0800", tick=False):
        assert "would purge" in run("audit_purge", "--out", str(tmp_path), "--dry-run")
        assert "purged" in run("audit_purge", "--out", str(tmp_path))
        assert verify_chain().ok


def test_deleting_the_purge_checkpoint_breaks_verification(tmp_path):
    with time_machine.travel("2027-01-05 09:00 +0800", tick=False):
        make_events(2)
    with time_machine.travel("2027-08-01 09:00 +0800", tick=False):
        make_events(1)
        audit_purge(out_dir=tmp_path)
    AuditCheckpoint.objects.filter(kind="purge").delete()
    assert not verify_chain().ok


def test_outside_the_purge_the_orm_still_refuses_deletes():
    make_events(1)
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()


def test_checkpoint_command_and_tasks(settings, tmp_path):
    from ggzy.audit.tasks import audit_checkpoint_task, audit_monthly_archive_task, audit_purge_task

    settings.AUDIT_ARCHIVE_DIR = tmp_path
    with time_machine.travel("2027-05-10 09:00 +0800", tick=False):
        make_events(2)
    with time_machine.travel("2027-06-01 03:00 +0800", tick=False):
        assert audit_monthly_archive_task.call() == 2
    assert (tmp_path / "audit-2027-05.jsonl.gz").exists()
    make_events(1)
    assert "checkpoint at seq" in run("audit_checkpoint")
    assert audit_checkpoint_task.call() == AuditEvent.objects.order_by("-seq").first().seq
    assert audit_purge_task.call() == 0
