"""Writes of the compliance backbone: catalogue and obligation loading, occurrence
generation, completion, waivers, overdue marking and reminders, daily snapshots.

Every write is atomic and records its audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import secrets
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import User
from ggzy.audit import services as audit
from ggzy.audit.choices import Outcome
from ggzy.core.branding import mail_subject
from ggzy.core.calendar import add_working_days, load_calendar
from ggzy.ingest.uploads import validate_upload

from .choices import AnswerType, EvidenceKind, Home, NonWorkingDay, OccurrenceState, Regulation
from .models import (
    CalendarFeed,
    Clause,
    ClauseSnapshot,
    FollowUp,
    Obligation,
    Occurrence,
    OccurrenceAttachment,
)
from .registry import ObligationSpec, all_obligations, retired_obligations
from .schedule import due_dates, parse_rrule
from .selectors import clause_statuses

CLAUSES_FILE = Path(__file__).parent / "data" / "clauses.json"
CLAUSE_FIELDS = (
    "citation",
    "regulation",
    "heading",
    "text",
    "home",
    "home_refs",
    "justification",
    "reading_note",
)
DEFAULT_HORIZON_DAYS = 120
# Overdue occurrences go up to the 安全管理员 after this many working days.
ESCALATE_AFTER_WORKING_DAYS = 3
EVIDENCE_KINDS = {
    EvidenceKind.PHOTO: ("jpeg", "png", "webp"),
    EvidenceKind.FILE: ("pdf", "docx", "xlsx", "jpeg", "png", "webp"),
    EvidenceKind.READING: ("pdf", "docx", "xlsx", "jpeg", "png", "webp"),
}


class ComplianceDataError(ValueError):
    """The clause catalogue or an obligation definition is unreadable or inconsistent."""


# --------------------------------------------------------------------------- catalogue


def read_catalogue(path: Path = CLAUSES_FILE) -> list[dict[str, Any]]:
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ComplianceDataError(f"cannot read clause catalogue {path}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise ComplianceDataError(f"clause catalogue {path} is not valid JSON: {exc}") from exc
    keys = set()
    for row in rows:
        key = row.get("key")
        if not key or key in keys:
            raise ComplianceDataError(f"clause catalogue: missing or duplicate key {key!r}")
        keys.add(key)
        if row.get("regulation") not in Regulation.values:
            raise ComplianceDataError(f"clause {key}: unknown regulation {row.get('regulation')!r}")
        if row.get("home", Home.UNHOMED) not in Home.values:
            raise ComplianceDataError(f"clause {key}: unknown home {row.get('home')!r}")
        if not row.get("text") or not row.get("citation"):
            raise ComplianceDataError(f"clause {key}: citation and text are required")
    return rows


@transaction.atomic
def clauses_load(*, path: Path = CLAUSES_FILE, actor=None) -> tuple[int, int]:
    """Make the Clause table match the catalogue file (idempotent). Returns (created, updated)."""
    rows = read_catalogue(path)
    existing = {clause.key: clause for clause in Clause.objects.all()}
    created = updated = 0
    for order, row in enumerate(rows):
        values = {name: row.get(name, [] if name == "home_refs" else "") for name in CLAUSE_FIELDS}
        values["home"] = values["home"] or Home.UNHOMED
        values["sort_order"] = order
        clause = existing.get(row["key"])
        if clause is None:
            Clause.objects.create(key=row["key"], **values)
            created += 1
        elif any(getattr(clause, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(clause, name, value)
            clause.save()
            updated += 1
    if created or updated:
        audit.record(
            action="compliance.clause.loaded",
            actor=actor,
            object_type="compliance.catalogue",
            object_repr=path.name,
            created=created,
            updated=updated,
        )
    return created, updated


# --------------------------------------------------------------------------- obligations


def validate_checklist(items: Sequence[dict[str, Any]]) -> None:
    keys = set()
    for item in items:
        key = item.get("key")
        if not key or key in keys:
            raise ValidationError(_("检查清单的项目编号缺失或重复：%(key)s") % {"key": key})
        keys.add(key)
        if item.get("type") not in AnswerType.values:
            raise ValidationError(_("检查清单项目 %(key)s 的类型无效。") % {"key": key})
        if not item.get("label"):
            raise ValidationError(_("检查清单项目 %(key)s 缺少名称。") % {"key": key})


@transaction.atomic
def obligation_ensure(*, spec: ObligationSpec, actor=None) -> tuple[Obligation, bool]:
    """Create or update one obligation from its registered definition."""
    parse_rrule(spec.rrule, starts_on=spec.starts_on)
    validate_checklist(spec.checklist)
    if spec.owner_role not in RoleKey.values:
        raise ValidationError(_("未知的责任角色：%(role)s") % {"role": spec.owner_role})
    if spec.evidence not in EvidenceKind.values or spec.non_working_day not in NonWorkingDay.values:
        raise ValidationError(_("义务 %(key)s 的凭证类型或非工作日规则无效。") % {"key": spec.key})
    clauses = list(Clause.objects.filter(key__in=spec.clauses))
    missing = set(spec.clauses) - {clause.key for clause in clauses}
    if missing:
        raise ComplianceDataError(f"obligation {spec.key}: unknown clauses {sorted(missing)}")
    values = {
        "title": spec.title,
        "owner_role": spec.owner_role,
        "rrule": spec.rrule,
        "starts_on": spec.starts_on,
        "non_working_day": spec.non_working_day,
        "checklist": list(spec.checklist),
        "evidence": spec.evidence,
        "due_soon_days": spec.due_soon_days,
    }
    obligation = Obligation.objects.filter(key=spec.key).first()
    changed = obligation is None
    if obligation is None:
        obligation = Obligation.objects.create(key=spec.key, **values)
    elif any(getattr(obligation, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(obligation, name, value)
        obligation.save()
        changed = True
    if set(obligation.clauses.values_list("pk", flat=True)) != {clause.pk for clause in clauses}:
        obligation.clauses.set(clauses)
        changed = True
    if changed:
        audit.record(action="compliance.obligation.loaded", actor=actor, obj=obligation, after=values)
    return obligation, changed


@transaction.atomic
def obligation_deactivate(*, key: str, actor=None) -> bool:
    """Stop an obligation generating occurrences (e.g. a per-record duty whose record
    was retired); its history stays. Returns whether it was active."""
    obligation = Obligation.objects.select_for_update().filter(key=key, active=True).first()
    if obligation is None:
        return False
    obligation.active = False
    obligation.save(update_fields=["active"])
    audit.record(action="compliance.obligation.deactivated", actor=actor, obj=obligation)
    return True


def obligations_load(*, actor=None, specs: Iterable[ObligationSpec] | None = None) -> int:
    """Write every registered obligation (setup_center) and, on a full load, deactivate
    the retired ones (registry.retire_obligation); returns how many changed."""
    changed = 0
    for spec in specs if specs is not None else all_obligations().values():
        changed += obligation_ensure(spec=spec, actor=actor)[1]
    if specs is None:
        both = retired_obligations() & set(all_obligations())
        if both:
            raise ComplianceDataError(f"obligations both registered and retired: {sorted(both)}")
        for key in sorted(retired_obligations()):
            changed += obligation_deactivate(key=key, actor=actor)
    return changed


@transaction.atomic
def occurrences_generate(
    *, today: dt.date | None = None, horizon_days: int = DEFAULT_HORIZON_DAYS, actor=None
) -> int:
    """Create the occurrences due from today to today + horizon (idempotent)."""
    today = today or timezone.localdate()
    end = today + dt.timedelta(days=horizon_days)
    calendar = load_calendar()
    created = 0
    for obligation in Obligation.objects.filter(active=True):
        have = set(
            Occurrence.objects.filter(obligation=obligation, due_on__gte=today, due_on__lte=end).values_list(
                "due_on", flat=True
            )
        )
        new = [
            Occurrence(obligation=obligation, due_on=day)
            for day in due_dates(
                rule=obligation.rrule,
                starts_on=obligation.starts_on,
                policy=obligation.non_working_day,
                start=today,
                end=end,
                calendar=calendar,
            )
            if day not in have
        ]
        Occurrence.objects.bulk_create(new, ignore_conflicts=True)
        created += len(new)
    if created:
        audit.record(
            action="compliance.occurrence.generated",
            actor=actor,
            object_type="compliance.occurrence",
            object_repr=f"{today}..{end}",
            created=created,
        )
    return created


# --------------------------------------------------------------------------- completing


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError
    number = float(value)
    if not math.isfinite(number):
        raise ValueError
    return number


def check_answers(checklist: Sequence[dict[str, Any]], answers: dict[str, Any]) -> tuple[dict, list]:
    """Normalised answers and the findings (answers outside their acceptable range).

    A wrong type or a missing required answer raises a Chinese ValidationError.
    """
    errors: list[str] = []
    clean: dict[str, Any] = {}
    findings: list[dict[str, Any]] = []
    known = {item["key"] for item in checklist}
    for extra in sorted(set(answers) - known):
        errors.append(_("检查清单中没有项目“%(key)s”。") % {"key": extra})
    for item in checklist:
        key, label, kind = item["key"], item["label"], item["type"]
        value = answers.get(key)
        if value is None or value == "":
            if item.get("required", True):
                errors.append(_("请填写“%(label)s”。") % {"label": label})
            continue
        if kind == AnswerType.YES_NO:
            if isinstance(value, str) and value.lower() in {"yes", "true", "1", "是"}:
                value = True
            elif isinstance(value, str) and value.lower() in {"no", "false", "0", "否"}:
                value = False
            if not isinstance(value, bool):
                errors.append(_("“%(label)s”应填写是或否。") % {"label": label})
                continue
            if "expected" in item and value != item["expected"]:
                findings.append({"key": key, "label": label, "value": value, "expected": item["expected"]})
        elif kind == AnswerType.NUMBER:
            try:
                value = _number(value)
            except (TypeError, ValueError):
                errors.append(_("“%(label)s”应填写数字。") % {"label": label})
                continue
            low, high = item.get("min"), item.get("max")
            if (low is not None and value < low) or (high is not None and value > high):
                findings.append({"key": key, "label": label, "value": value, "min": low, "max": high})
        else:
            if not isinstance(value, str):
                errors.append(_("“%(label)s”应填写文字。") % {"label": label})
                continue
            value = value.strip()
        clean[key] = value
    if errors:
        raise ValidationError(errors)
    return clean, findings


def validate_evidence(file, *, kind: str):
    """The platform's upload gate (ggzy.ingest.uploads): type by content, size,
    zip safety and screening — the same checks as every other upload."""
    return validate_upload(file, allowed=EVIDENCE_KINDS[kind], name=getattr(file, "name", None))


def _may_complete(actor: User, obligation: Obligation) -> bool:
    return actor.is_active and (
        actor.has_role(obligation.owner_role) or actor.has_role(RoleKey.SECURITY_ADMIN)
    )


def _reject(action: str, *, actor, occurrence: Occurrence, reason: str) -> None:
    """Record a refused attempt in its own transaction (the caller's is rolled back)."""
    with transaction.atomic():
        audit.record(action=action, actor=actor, obj=occurrence, outcome=Outcome.FAILURE, reason=reason[:500])


def occurrence_complete(
    *,
    occurrence: Occurrence,
    actor: User,
    answers: dict[str, Any],
    comment: str = "",
    files: Sequence = (),
    item_photos: dict[str, Any] | None = None,
) -> Occurrence:
    """Record a done occurrence: answers checked against the checklist, evidence
    through the upload gate and stored with its SHA-256; ``item_photos`` (checklist
    item key → one photo) are optional photos of single items. Out-of-range answers
    give ``done_with_findings``. Nothing is stored when anything is refused, and the
    refused attempt is audited."""
    try:
        return _complete(
            occurrence=occurrence,
            actor=actor,
            answers=answers,
            comment=comment,
            files=files,
            item_photos=item_photos or {},
        )
    except (ValidationError, PermissionDenied) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        _reject("compliance.occurrence.rejected", actor=actor, occurrence=occurrence, reason=reason)
        raise


@transaction.atomic
def _complete(*, occurrence, actor, answers, comment, files, item_photos) -> Occurrence:
    occurrence = Occurrence.objects.select_for_update().select_related("obligation").get(pk=occurrence.pk)
    obligation = occurrence.obligation
    if not _may_complete(actor, obligation):
        raise PermissionDenied(
            _("只有%(role)s或安全管理员可以完成此项义务。") % {"role": RoleKey(obligation.owner_role).label}
        )
    if occurrence.state not in (OccurrenceState.DUE, OccurrenceState.OVERDUE):
        raise ValidationError(_("该待办已办结，不能重复提交。"))
    keys = {item["key"] for item in obligation.checklist}
    if unknown := sorted(set(item_photos) - keys):
        raise ValidationError(_("检查清单中没有这些检查项：%(keys)s") % {"keys": "、".join(unknown)})
    clean, findings = check_answers(obligation.checklist, answers or {})
    if obligation.evidence != EvidenceKind.NONE and not (files or item_photos):
        raise ValidationError(
            _("此项义务需要上传凭证（%(kind)s）。") % {"kind": EvidenceKind(obligation.evidence).label}
        )
    kind = obligation.evidence if obligation.evidence != EvidenceKind.NONE else EvidenceKind.FILE
    checked = [("", upload, validate_evidence(upload, kind=kind)) for upload in files]
    checked += [
        (key, upload, validate_evidence(upload, kind=EvidenceKind.PHOTO))
        for key, upload in item_photos.items()
    ]
    for item_key, upload, result in checked:
        upload.seek(0)
        digest = hashlib.sha256()
        for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
            digest.update(chunk)
        upload.seek(0)
        OccurrenceAttachment.objects.create(
            occurrence=occurrence,
            item_key=item_key,
            file=upload,
            name=result.name[:255],
            content_type=result.kind,
            size=result.size,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
    occurrence.state = OccurrenceState.DONE_WITH_FINDINGS if findings else OccurrenceState.DONE
    occurrence.done_by = actor
    occurrence.done_at = timezone.now()
    occurrence.answers = clean
    occurrence.findings = findings
    occurrence.comment = comment
    occurrence.save()
    audit.record(
        action="compliance.occurrence.completed",
        actor=actor,
        obj=occurrence,
        after={"state": occurrence.state, "answers": clean, "findings": findings},
        attachments=[a.sha256 for a in occurrence.attachments.all()],
        item_photos={a.item_key: a.sha256 for a in occurrence.attachments.all() if a.item_key},
    )
    return occurrence


def occurrence_waive(*, occurrence: Occurrence, actor: User, reason: str) -> Occurrence:
    """Waive an occurrence: a reason, and the 安全管理员's approval (the actor must be one)."""
    try:
        return _waive(occurrence=occurrence, actor=actor, reason=reason)
    except (ValidationError, PermissionDenied) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        _reject("compliance.occurrence.waive_rejected", actor=actor, occurrence=occurrence, reason=message)
        raise


@transaction.atomic
def _waive(*, occurrence, actor, reason) -> Occurrence:
    occurrence = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
    if not (actor.is_active and actor.has_role(RoleKey.SECURITY_ADMIN)):
        raise PermissionDenied(_("豁免须经安全管理员批准。"))
    if not (reason or "").strip():
        raise ValidationError(_("请填写豁免原因。"))
    if occurrence.state not in (OccurrenceState.DUE, OccurrenceState.OVERDUE):
        raise ValidationError(_("该待办已办结，不能豁免。"))
    occurrence.state = OccurrenceState.WAIVED
    occurrence.waiver_reason = reason.strip()
    occurrence.waived_by = actor
    occurrence.save(update_fields=["state", "waiver_reason", "waived_by"])
    audit.record(action="compliance.occurrence.waived", actor=actor, obj=occurrence, reason=reason.strip())
    return occurrence


# --------------------------------------------------------------------------- follow-ups


def may_create_followup(actor: User, occurrence: Occurrence) -> bool:
    """The obligation's owner role or the 安全管理员 (who completes it decides the fix)."""
    return _may_complete(actor, occurrence.obligation)


def may_close_followup(actor: User, followup: FollowUp) -> bool:
    """The follow-up's owner or the 安全管理员."""
    return actor.is_active and (actor.pk == followup.owner_id or actor.has_role(RoleKey.SECURITY_ADMIN))


def followup_create(
    *,
    occurrence: Occurrence,
    actor: User,
    action: str,
    owner: User | None,
    due_on: dt.date | None,
    finding_key: str = "",
    today: dt.date | None = None,
) -> FollowUp:
    """A follow-up action on an occurrence done with findings: what, who, by when
    (issue 21 §2: an answer outside its range "can open a follow-up action"). Its
    clauses stay failing until every follow-up of the obligation is closed. A refused
    attempt is audited and nothing is stored."""
    try:
        return _followup_create(
            occurrence=occurrence,
            actor=actor,
            action=action,
            owner=owner,
            due_on=due_on,
            finding_key=finding_key,
            today=today or timezone.localdate(),
        )
    except (ValidationError, PermissionDenied) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        _reject("compliance.followup.rejected", actor=actor, occurrence=occurrence, reason=reason)
        raise


@transaction.atomic
def _followup_create(*, occurrence, actor, action, owner, due_on, finding_key, today) -> FollowUp:
    occurrence = Occurrence.objects.select_for_update().select_related("obligation").get(pk=occurrence.pk)
    if not may_create_followup(actor, occurrence):
        raise PermissionDenied(
            _("只有%(role)s或安全管理员可以制定整改措施。")
            % {"role": RoleKey(occurrence.obligation.owner_role).label}
        )
    if occurrence.state != OccurrenceState.DONE_WITH_FINDINGS:
        raise ValidationError(_("只有“已完成（有发现项）”的待办可以制定整改措施。"))
    errors = []
    action = (action or "").strip()
    if not action:
        errors.append(_("请填写整改措施。"))
    elif len(action) > 300:
        errors.append(_("整改措施不能超过 300 个字。"))
    if owner is None or not owner.is_active:
        errors.append(_("请选择在职的责任人。"))
    if due_on is None:
        errors.append(_("请填写完成期限。"))
    elif due_on < today:
        errors.append(_("完成期限不能早于今天。"))
    keys = {finding.get("key") for finding in occurrence.findings}
    if finding_key and finding_key not in keys:
        errors.append(_("该待办没有发现项“%(key)s”。") % {"key": finding_key})
    if errors:
        raise ValidationError(errors)
    followup = FollowUp.objects.create(
        occurrence=occurrence,
        finding_key=finding_key,
        action=action,
        owner=owner,
        due_on=due_on,
        created_by=actor,
        created_at=timezone.now(),
    )
    audit.record(
        action="compliance.followup.created",
        actor=actor,
        obj=followup,
        after={
            "occurrence": occurrence.pk,
            "finding": finding_key,
            "action": action,
            "owner": owner.get_username(),
            "due_on": due_on.isoformat(),
        },
    )
    return followup


def followup_close(*, followup: FollowUp, actor: User, note: str) -> FollowUp:
    """Close a follow-up with what was done (its owner or the 安全管理员). When the
    obligation has no open follow-up left, its clauses are met again (selectors)."""
    try:
        return _followup_close(followup=followup, actor=actor, note=note)
    except (ValidationError, PermissionDenied) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        with transaction.atomic():
            audit.record(
                action="compliance.followup.rejected",
                actor=actor,
                obj=followup,
                outcome=Outcome.FAILURE,
                reason=reason[:500],
            )
        raise


@transaction.atomic
def _followup_close(*, followup, actor, note) -> FollowUp:
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if not may_close_followup(actor, followup):
        raise PermissionDenied(_("只有整改责任人或安全管理员可以关闭整改措施。"))
    if not followup.is_open:
        raise ValidationError(_("该整改措施已关闭。"))
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("请填写整改结果。"))
    followup.closed_at = timezone.now()
    followup.closed_by = actor
    followup.closing_note = note
    followup.save(update_fields=["closed_at", "closed_by", "closing_note"])
    audit.record(action="compliance.followup.closed", actor=actor, obj=followup, after={"note": note})
    return followup


# --------------------------------------------------------------------------- overdue


@transaction.atomic
def occurrences_mark_overdue(*, today: dt.date | None = None) -> int:
    """Occurrences still due after their due date become overdue."""
    today = today or timezone.localdate()
    late = Occurrence.objects.filter(state=OccurrenceState.DUE, due_on__lt=today)
    ids = list(late.values_list("pk", flat=True)[:10000])
    if not ids:
        return 0
    count = Occurrence.objects.filter(pk__in=ids).update(state=OccurrenceState.OVERDUE)
    audit.record(
        action="compliance.occurrence.overdue_marked",
        object_type="compliance.occurrence",
        object_repr=str(today),
        count=count,
    )
    return count


def _role_emails(role: str) -> list[str]:
    return sorted(
        set(
            User.objects.filter(is_active=True, groups__role__key=role)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def overdue_reminders_send(*, today: dt.date | None = None, dry_run: bool = False) -> list[dict[str, Any]]:
    """Once a day per overdue occurrence: e-mail the owner role; after
    ESCALATE_AFTER_WORKING_DAYS working days, the 安全管理员 too."""
    today = today or timezone.localdate()
    if not dry_run:
        occurrences_mark_overdue(today=today)
    calendar = load_calendar()
    sent = []
    overdue = (
        Occurrence.objects.filter(state__in=[OccurrenceState.DUE, OccurrenceState.OVERDUE], due_on__lt=today)
        .exclude(reminded_on=today)
        .select_related("obligation")
        .order_by("due_on")[:500]
    )
    for occurrence in overdue:
        obligation = occurrence.obligation
        recipients = _role_emails(obligation.owner_role)
        escalated = (
            add_working_days(occurrence.due_on, ESCALATE_AFTER_WORKING_DAYS, calendar=calendar).date < today
        )
        if escalated:
            recipients = sorted(set(recipients) | set(_role_emails(RoleKey.SECURITY_ADMIN)))
        item = {
            "occurrence": occurrence.pk,
            "obligation": obligation.key,
            "due_on": occurrence.due_on.isoformat(),
            "recipients": recipients,
            "escalated": escalated,
        }
        sent.append(item)
        if dry_run or not recipients:
            continue
        send_mail(
            mail_subject(
                _("【逾期】%(title)s（应于 %(due)s 完成）")
                % {"title": obligation.title, "due": occurrence.due_on}
            ),
            _("定期义务“%(title)s”已逾期，请尽快完成并上传凭证。责任角色：%(role)s。")
            % {"title": obligation.title, "role": RoleKey(obligation.owner_role).label},
            None,
            recipients,
        )
        with transaction.atomic():
            Occurrence.objects.filter(pk=occurrence.pk).update(reminded_on=today)
            audit.record(
                action="compliance.occurrence.reminded",
                obj=occurrence,
                recipients=recipients,
                escalated=escalated,
            )
    return sent


# --------------------------------------------------------------------------- snapshots


@transaction.atomic
def snapshot_take(*, today: dt.date | None = None) -> int:
    """Record every clause's status for ``today`` (once a day; re-running updates it)."""
    today = today or timezone.localdate()
    rows = clause_statuses(today=today)
    clauses = dict(Clause.objects.values_list("key", "pk"))
    existing = {s.clause_id: s for s in ClauseSnapshot.objects.filter(day=today)}
    new, changed = [], []
    for row in rows:
        pk = clauses[row.key]
        snap = existing.get(pk)
        if snap is None:
            new.append(ClauseSnapshot(clause_id=pk, day=today, status=row.status, detail=row.detail[:300]))
        elif (snap.status, snap.detail) != (row.status, row.detail[:300]):
            snap.status, snap.detail = row.status, row.detail[:300]
            changed.append(snap)
    ClauseSnapshot.objects.bulk_create(new)
    ClauseSnapshot.objects.bulk_update(changed, ["status", "detail"])
    audit.record(
        action="compliance.snapshot.taken",
        object_type="compliance.snapshot",
        object_repr=str(today),
        clauses=len(rows),
    )
    return len(rows)


# --------------------------------------------------------------------------- calendar feed


def calendar_feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_issue(*, actor: User) -> str:
    """A new secret token for the actor's iCalendar feed (replacing any earlier one,
    which stops working). Only its SHA-256 is stored: the token is returned once."""
    token = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.update_or_create(
        user=actor, defaults={"token_hash": calendar_feed_token_hash(token), "created_at": timezone.now()}
    )
    audit.record(action="compliance.calendar_feed.issued", actor=actor, obj=feed, replaced=not created)
    return token


@transaction.atomic
def calendar_feed_revoke(*, actor: User) -> bool:
    """Revoke the actor's feed; False when there was none."""
    feed = CalendarFeed.objects.filter(user=actor).first()
    if feed is None:
        return False
    audit.record(action="compliance.calendar_feed.revoked", actor=actor, obj=feed)
    feed.delete()
    return True
