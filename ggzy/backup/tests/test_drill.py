"""The restore drill (monthly) and repository upkeep: a passing drill is the
obligation's evidence; a broken repository fails the drill and raises an alert."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.backup import tasks as restore_drill_tasks
from ggzy.backup.checks import last_good_backup_recent, restore_drill_recent
from ggzy.backup.models import RestoreDrill
from ggzy.compliance.models import Occurrence
from ggzy.compliance.services import obligations_load, occurrences_generate
from ggzy.core.tests.access import is_refusal
from ggzy.incidents.models import Alert

pytestmark = pytest.mark.django_db(transaction=True)


def corrupt_biggest_pack():
    packs = [p for p in (Path(settings.BACKUP_REPOSITORY) / "data").rglob("*") if p.is_file()]
    biggest = max(packs, key=lambda p: p.stat().st_size)
    biggest.chmod(0o600)
    data = bytearray(biggest.read_bytes())
    data[len(data) // 2] ^= 0xFF
    biggest.write_bytes(bytes(data))


def test_drill_passes_and_is_the_obligations_evidence(center, backup_env, empty_database, settings, capsys):
    admin = make_user(RoleKey.SYSTEM_ADMIN, username="sysadmin-drill")
    obligations_load()
    occurrences_generate(today=timezone.localdate())
    assert restore_drill_recent(today=timezone.localdate()).status == "no_data"
    call_command("backup", "--init")
    assert last_good_backup_recent(today=timezone.localdate()).status == "met"

    settings.BACKUP_DRILL_DATABASE_URL = empty_database()  # used on PostgreSQL only
    call_command("restore_drill", "--as", admin.username)
    assert "passed" in capsys.readouterr().out
    drill = RestoreDrill.objects.get()
    assert drill.status == "succeeded" and drill.files_checked > 0 and drill.rows_checked > 0
    assert not any(Path(settings.BACKUP_DRILL_DIR).glob("drill-*"))  # scratch removed
    occurrence = Occurrence.objects.filter(obligation__key="backup-restore-drill").order_by("due_on").first()
    assert occurrence.state == "done" and occurrence.answers["restored"] is True
    assert drill.occurrence == occurrence and occurrence.done_by == admin
    # The evidence is the drill's PDF report, stored with the drill and on the occurrence.
    pdf = drill.report.read()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == drill.report_sha256
    assert [a.sha256 for a in occurrence.attachments.all()] == [drill.report_sha256]
    assert any(step.startswith("Audit chain verifies") for step in drill.steps)
    check = restore_drill_recent(today=timezone.localdate())
    assert check.status == "met" and "sysadmin-drill" in check.detail
    assert (f"演练报告 #{drill.pk}", f"/admin/backup/drills/{drill.pk}/report/") in [
        tuple(x) for x in check.links
    ]


def test_the_scheduled_drill_is_evidence_without_a_person(
    center, backup_env, empty_database, settings, client
):
    """No person runs the monthly drill: its PDF report is its evidence (stored with its
    SHA-256, linked from the live check that homes 应急预案 第十二条). compliance completes an
    occurrence only for a person, so the occurrence waits for a 系统管理员's one-click
    submission of that report; the 审计管理员 reads the report and cannot submit."""
    obligations_load()
    occurrences_generate(today=timezone.localdate())
    call_command("backup", "--init")
    settings.BACKUP_DRILL_DATABASE_URL = empty_database()  # used on PostgreSQL only
    assert restore_drill_tasks.restore_drill_task.call() == "succeeded"
    drill = RestoreDrill.objects.get()
    assert drill.started_by is None and drill.report and drill.occurrence is None
    check = restore_drill_recent(today=timezone.localdate())
    assert check.status == "met" and "计划任务" in check.detail
    report_url = f"/admin/backup/drills/{drill.pk}/report/"
    assert report_url in [link for _, link in check.links]
    occurrence = Occurrence.objects.filter(obligation__key="backup-restore-drill").order_by("due_on").first()
    assert occurrence.state in ("due", "overdue")

    auditor = make_user(RoleKey.AUDIT_ADMIN, username="auditor-drill")
    login_as(client, auditor)
    response = client.get(report_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == drill.report_sha256
    assert is_refusal(client.post(f"/admin/backup/drills/{drill.pk}/submit/"))  # 403 or Wagtail's redirect

    admin = make_user(RoleKey.SYSTEM_ADMIN, username="sysadmin-submit")
    login_as(client, admin)
    page = client.get("/admin/backup/").content.decode()
    assert f"/admin/backup/drills/{drill.pk}/submit/" in page
    response = client.post(f"/admin/backup/drills/{drill.pk}/submit/", follow=True)
    assert "已作为" in response.content.decode()
    occurrence.refresh_from_db()
    assert occurrence.state == "done" and occurrence.done_by == admin
    assert "计划任务" in occurrence.comment
    assert [a.sha256 for a in occurrence.attachments.all()] == [drill.report_sha256]
    # Once is enough: a second submission is refused with a message, nothing written.
    response = client.post(f"/admin/backup/drills/{drill.pk}/submit/", follow=True)
    assert "已作为凭证提交" in response.content.decode()
    assert Occurrence.objects.filter(obligation__key="backup-restore-drill", state="done").count() == 1


def test_a_broken_repository_fails_the_drill_and_raises_an_alert(db, backup_env, empty_database, settings):
    settings.BACKUP_DRILL_DATABASE_URL = empty_database()  # used on PostgreSQL only
    settings.BACKUP_CHECK_SUBSET = "100%"  # read every pack: the corrupted one among them
    call_command("backup", "--init")
    corrupt_biggest_pack()
    with pytest.raises(CommandError, match=r"Restore drill #\d+ FAILED"):
        call_command("restore_drill")
    drill = RestoreDrill.objects.get()
    assert drill.status == "failed" and "restic failed" in drill.error
    alert = Alert.objects.get(source="backup", key="drill")
    assert alert.status == "open"
    assert restore_drill_recent(today=timezone.localdate()).status == "failing"
    with pytest.raises(CommandError, match="restic check failed"):
        call_command("backup_maintenance")
    assert Alert.objects.get(source="backup", key="repository").status == "open"


def test_no_recent_backup_fails_the_drill(db, backup_env, time_machine):
    call_command("backup", "--init")
    time_machine.move_to(timezone.now() + dt.timedelta(hours=settings.BACKUP_MAX_AGE_HOURS + 1))
    with pytest.raises(CommandError, match="no good backup within"):
        call_command("restore_drill")
    assert last_good_backup_recent(today=timezone.localdate()).status == "failing"


def test_retention_keeps_the_configured_snapshots(db, backup_env, settings):
    settings.BACKUP_KEEP_DAILY, settings.BACKUP_KEEP_WEEKLY, settings.BACKUP_KEEP_MONTHLY = 1, 0, 0
    call_command("backup", "--init")
    call_command("backup")
    call_command("backup_maintenance")
    from ggzy.backup.restic import Repository

    assert len(Repository.configured().snapshots("--tag", "ggzy")) == 1


def test_drills_in_a_row_each_get_an_empty_scratch_database(db, backup_env, empty_database, settings):
    """The scheduled drill runs every month into the same scratch database: each one
    empties it first (also of what a killed drill left) and again afterwards."""
    from django.db import connection

    from ggzy.backup.tests.conftest import query

    url = empty_database()
    settings.BACKUP_DRILL_DATABASE_URL = url  # used on PostgreSQL only
    call_command("backup", "--init")
    if connection.vendor == "postgresql":
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE left_by_a_killed_drill (id int)")
    call_command("restore_drill")
    call_command("restore_drill")
    assert list(RestoreDrill.objects.order_by("pk").values_list("status", flat=True)) == [
        "succeeded",
        "succeeded",
    ], [(d.error, d.problems) for d in RestoreDrill.objects.all()]
    if connection.vendor == "postgresql":
        # The restored copy of everything does not stay in the scratch database.
        assert query(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'") == []


def test_the_drill_never_empties_ggzys_own_database(db, backup_env, settings):
    from django.db import connection

    from ggzy.backup.tests.conftest import _pg_url

    if connection.vendor != "postgresql":
        pytest.skip("BACKUP_DRILL_DATABASE_URL is used on PostgreSQL only (SQLite drills use a scratch file)")
    settings.BACKUP_DRILL_DATABASE_URL = _pg_url(connection.settings_dict["NAME"])
    call_command("backup", "--init")
    with pytest.raises(CommandError, match="names ggzy's own database"):
        call_command("restore_drill")
    assert RestoreDrill.objects.get().status == "failed"  # the tables are all still there
