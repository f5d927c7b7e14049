"""The restore drill and the repository's upkeep (应急预案 第十二条: 保证重要数据在受到
破坏后可紧急恢复 — proven by restoring, not assumed). A failure of either opens an
alert in incidents (source ``backup``); the next good run marks it recovered."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.audit import services as audit
from ggzy.compliance.choices import OccurrenceState
from ggzy.compliance.models import Occurrence
from ggzy.compliance.services import occurrence_complete
from ggzy.core.pdf import CJK_FONT_STACK, PdfUnavailable, html_to_pdf
from ggzy.incidents.alerts import raise_alert, resolve_alert
from ggzy.incidents.choices import IncidentType, Severity

from . import db
from .choices import RunStatus
from .models import BackupRun, RestoreDrill
from .restic import Repository, ResticError
from .restoring import RestoreError, restore
from .services import SNAPSHOT_TAG

logger = logging.getLogger("ggzy.backup")

DRILL_OBLIGATION = "backup-restore-drill"
ALERT_SOURCE = "backup"
LINKS = ((_("备份与恢复"), "/admin/backup/"),)


def last_good_backup() -> BackupRun | None:
    return BackupRun.objects.filter(status=RunStatus.SUCCEEDED).order_by("-finished_at").first()


def backup_is_stale(now: dt.datetime | None = None) -> bool:
    last = last_good_backup()
    now = now or timezone.now()
    return last is None or now - last.finished_at > dt.timedelta(hours=settings.BACKUP_MAX_AGE_HOURS)


def run_drill(*, actor=None) -> RestoreDrill:
    """Restore the newest ggzy snapshot into a scratch directory and database, verify
    everything, record the result; with a 系统管理员 as ``actor`` the result also
    completes the open occurrence of the monthly drill obligation (its evidence)."""
    drill = RestoreDrill.objects.create(started_by=actor)
    started = time.perf_counter()
    scratch = Path(settings.BACKUP_DRILL_DIR) / f"drill-{drill.pk}"
    problems: list[str] = []
    steps: list[str] = []
    error = ""
    database_url = ""
    try:
        if backup_is_stale():
            problems.append(f"no good backup within the last {settings.BACKUP_MAX_AGE_HOURS} hours")
        repo = Repository.configured()
        latest = repo.snapshots("--tag", SNAPSHOT_TAG, "--latest", "1")
        if not latest:
            raise RestoreError(f"the repository at {repo.location} holds no ggzy snapshot")
        snapshot = max(latest, key=lambda s: s["time"])
        drill.snapshot_id = snapshot["short_id"]
        if db.vendor() != "sqlite":
            database_url = settings.BACKUP_DRILL_DATABASE_URL
            if not database_url:
                raise RestoreError(
                    "a PostgreSQL drill needs BACKUP_DRILL_DATABASE_URL (a scratch database it may empty)"
                )
            db.reset_scratch(database_url)  # what an earlier (or killed) drill left there goes
        report = restore(
            snapshot["id"], target=scratch / "target", database_url=database_url, repo=repo, log=steps.append
        )
        problems += report.problems
        drill.files_checked, drill.rows_checked = report.files_checked, report.rows_checked
    except (RestoreError, ResticError, db.DatabaseError, OSError) as exc:
        error = str(exc)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if database_url:
            # The restored copy holds everything ggzy holds: it does not stay in the scratch database.
            try:
                db.reset_scratch(database_url)
            except db.DatabaseError as exc:
                error = error or str(exc)
    drill.steps = steps
    drill.finished_at = timezone.now()
    drill.duration_ms = int((time.perf_counter() - started) * 1000)
    passed = not problems and not error
    pdf = _report(drill, passed=passed, problems=problems, error=error)
    if pdf is None:
        problems.append("the drill report (PDF) could not be made (see the log): the drill has no evidence")
        passed = False
    else:
        drill.report_sha256 = hashlib.sha256(pdf).hexdigest()
        drill.report.save(f"drill-{drill.pk}.pdf", ContentFile(pdf), save=False)
    drill.status = RunStatus.SUCCEEDED if passed else RunStatus.FAILED
    drill.problems = problems[:200]
    drill.error = error
    with transaction.atomic():
        drill.save()
        audit.record(
            action="backup.drill.passed" if passed else "backup.drill.failed",
            actor=actor,
            obj=drill,
            outcome="success" if passed else "failure",
            snapshot_id=drill.snapshot_id,
            problems=problems[:20],
            error=error[:500],
            report_sha256=drill.report_sha256,
        )
        if passed:
            resolve_alert(source=ALERT_SOURCE, key="drill", detail=_("恢复演练通过"))
        else:
            raise_alert(
                source=ALERT_SOURCE,
                key="drill",
                title=_("备份恢复演练失败"),
                incident_type=IncidentType.SOFTWARE,
                severity=Severity.LARGE,
                detail="; ".join([error, *problems[:10]]).strip("; "),
                links=LINKS,
            )
    if actor is not None and pdf is not None:
        _complete_obligation(drill, actor, pdf)
    return drill


def _report(drill: RestoreDrill, *, passed: bool, problems: list[str], error: str) -> bytes | None:
    """The drill report as a PDF (WeasyPrint, ggzy.core.pdf): what was restored, each
    verification step, every problem. None when it cannot be rendered."""
    drill.problems, drill.error = problems[:200], error
    html = render_to_string(
        "backup/drill_report_pdf.html",
        {
            "drill": drill,
            "passed": passed,
            "seconds": f"{drill.duration_ms / 1000:.1f}",
            "repository": settings.BACKUP_REPOSITORY,
            "engine": "PostgreSQL" if db.vendor() == "postgresql" else "SQLite",
            "site_name": settings.WAGTAIL_SITE_NAME,
            "font_stack": CJK_FONT_STACK,
            "printed_at": timezone.localtime(),
        },
    )
    try:
        return html_to_pdf(html)
    except (PdfUnavailable, OSError, ValueError):
        logger.exception("the drill report of drill %s could not be rendered", drill.pk)
        return None


def _open_occurrence() -> Occurrence | None:
    horizon = timezone.localdate() + dt.timedelta(days=31)
    return (
        Occurrence.objects.filter(
            obligation__key=DRILL_OBLIGATION,
            state__in=[OccurrenceState.DUE, OccurrenceState.OVERDUE],
            due_on__lte=horizon,
        )
        .order_by("due_on")
        .first()
    )


def _complete_obligation(drill: RestoreDrill, actor, pdf: bytes) -> Occurrence | None:
    """The drill is the evidence: the open occurrence due within a month is completed
    with its result and its PDF report (a failed drill completes it with findings)."""
    occurrence = _open_occurrence()
    if occurrence is None:
        return None
    done = occurrence_complete(
        occurrence=occurrence,
        actor=actor,
        answers={"restored": drill.status == RunStatus.SUCCEEDED, "snapshot": drill.snapshot_id or "-"},
        comment=_("恢复演练 #%(pk)d（%(who)s）：校验 %(files)d 个文件、%(rows)d 行数据%(problems)s")
        % {
            "pk": drill.pk,
            "who": drill.started_by.get_username() if drill.started_by_id else _("计划任务"),
            "files": drill.files_checked,
            "rows": drill.rows_checked,
            "problems": "；" + "；".join([drill.error, *drill.problems][:5])
            if drill.status != RunStatus.SUCCEEDED
            else "",
        },
        files=[ContentFile(pdf, name=f"restore-drill-{drill.pk}.pdf")],
    )
    RestoreDrill.objects.filter(pk=drill.pk).update(occurrence=done)
    drill.occurrence = done
    return done


def drill_submit_evidence(*, drill: RestoreDrill, actor) -> Occurrence:
    """A drill that ran without a person (the monthly schedule) submitted by a 系统管理员
    as the evidence of the open drill occurrence: its stored PDF report and result,
    through compliance.occurrence_complete (which checks the role, stores the file with
    its SHA-256 and audits). The backbone completes occurrences only for a person."""
    drill = RestoreDrill.objects.get(pk=drill.pk)
    if drill.status == RunStatus.RUNNING:
        raise ValidationError(_("演练尚未结束。"))
    if drill.occurrence_id:
        raise ValidationError(_("该次演练已作为凭证提交。"))
    if not drill.report:
        raise ValidationError(_("该次演练没有报告，不能作为凭证。"))
    with drill.report.open("rb") as handle:
        pdf = handle.read()
    if hashlib.sha256(pdf).hexdigest() != drill.report_sha256:
        raise ValidationError(_("演练报告与记录的摘要不一致，不能作为凭证。"))
    done = _complete_obligation(drill, actor, pdf)
    if done is None:
        raise ValidationError(_("当前没有待完成的备份恢复演练义务。"))
    return done


def maintain_repository(*, actor=None) -> list[str]:
    """Retention (restic forget --prune with the keep-daily/weekly/monthly settings),
    then restic check reading a subset of the data. Returns what went wrong ([] when
    all is well); a failure raises the repository alert."""
    repo = Repository.configured()
    problems = []
    try:
        repo.unlock()
        repo.run(
            [
                "forget",
                "--json",
                "--prune",
                "--tag",
                SNAPSHOT_TAG,
                "--keep-daily",
                str(settings.BACKUP_KEEP_DAILY),
                "--keep-weekly",
                str(settings.BACKUP_KEEP_WEEKLY),
                "--keep-monthly",
                str(settings.BACKUP_KEEP_MONTHLY),
            ]
        )
        audit.record(
            action="backup.retention.applied",
            actor=actor,
            object_type="backup.repository",
            object_repr=repo.location,
            keep_daily=settings.BACKUP_KEEP_DAILY,
            keep_weekly=settings.BACKUP_KEEP_WEEKLY,
            keep_monthly=settings.BACKUP_KEEP_MONTHLY,
        )
    except ResticError as exc:
        problems.append(f"retention failed: {exc}")
    try:
        repo.check(read_data_subset=settings.BACKUP_CHECK_SUBSET)
    except ResticError as exc:
        problems.append(f"restic check failed: {exc}")
    with transaction.atomic():
        audit.record(
            action="backup.repository.checked",
            actor=actor,
            object_type="backup.repository",
            object_repr=repo.location,
            outcome="failure" if problems else "success",
            subset=settings.BACKUP_CHECK_SUBSET,
            problems=problems,
        )
        if problems:
            raise_alert(
                source=ALERT_SOURCE,
                key="repository",
                title=_("备份库校验失败"),
                incident_type=IncidentType.SOFTWARE,
                severity=Severity.LARGE,
                detail="; ".join(problems),
                links=LINKS,
            )
        else:
            resolve_alert(source=ALERT_SOURCE, key="repository", detail=_("备份库校验通过"))
    return problems
