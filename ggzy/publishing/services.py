"""Writes for governed publishing: the approval chains, the one road to the
public site, emergency takedown, and the publication record."""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import (
    Page,
    ReferenceIndex,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import Role
from ggzy.audit import services as audit
from ggzy.core.branding import mail_subject
from ggzy.core.calendar import load_calendar
from ggzy.ingest.media import page_images_strip_metadata
from ggzy.ingest.rich_text import tables_in_content
from ggzy.ingest.selectors import spreadsheet_sources
from ggzy.screening.pagescreen import describe
from ggzy.screening.selectors import finding_acknowledgements, page_findings_latest

from .context import chain_publishing, takedown_in_progress
from .models import (
    DepartmentReviewTask,
    IndustryQuotaAlert,
    PublicationRecord,
    ReviewTask,
    StepConfirmation,
    StepReminder,
    TakedownRecord,
)
from .reports import INDUSTRY_DAILY_QUOTA, industry_published_per_day
from .rules import TAKEDOWN_ROLES, user_role_keys
from .selectors import overdue_steps

TASK_TYPES = {"department": DepartmentReviewTask, "group": ReviewTask}

# --------------------------------------------------------------------------- seeding


def _task_ensure(step: Mapping[str, Any]):
    """The step's task (tasks are shared between chains by name), created if missing.
    A checklist from the data fills an existing task's empty one; one the 网站管理员
    edited is kept."""
    task_class = TASK_TYPES[step["type"]]
    task = task_class.objects.filter(name=step["name"]).first()
    checklist = "\n".join(step.get("checklist", []))
    if task is None:
        task = task_class.objects.create(
            name=step["name"], due_working_days=step.get("due_working_days", 1), checklist=checklist
        )
        roles = Role.objects.filter(key__in=step["roles"]).select_related("group")
        task.groups.set([role.group for role in roles])
    elif checklist and not task.checklist.strip():
        task.checklist = checklist
        task.save(update_fields=["checklist"])
    return task


@transaction.atomic
def workflow_ensure(*, name: str, steps: Iterable[Mapping[str, Any]]) -> tuple[Workflow, bool]:
    """Create the named workflow with its steps if missing. An existing one keeps
    what the 网站管理员 changed in the admin, but a step of the data that it lacks
    is added after the step that precedes it in the data (审核制度 (四): the
    信息发布管理小组 step was added to every chain). Idempotent; never removes a step.

    Pages in flight keep their workflow state: Wagtail moves a state to the next
    active task of the chain that it has not yet approved, so an added step is
    still taken before the item is published."""
    steps = list(steps)
    workflow = Workflow.objects.filter(name=name).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=name, active=True)
        for order, step in enumerate(steps):
            WorkflowTask.objects.create(workflow=workflow, task=_task_ensure(step), sort_order=order)
        return workflow, True
    current = list(workflow.workflow_tasks.order_by("sort_order", "pk").values_list("task_id", flat=True))
    added = []
    previous = None
    for step in steps:
        task = _task_ensure(step)
        if task.pk not in current:
            position = current.index(previous) + 1 if previous in current else 0
            current.insert(position, task.pk)
            added.append(step["name"])
        previous = task.pk
    if added:
        for order, task_id in enumerate(current):
            WorkflowTask.objects.update_or_create(
                workflow=workflow, task_id=task_id, defaults={"sort_order": order}
            )
        audit.record(
            action="publishing.workflow.step_added",
            object_type="wagtailcore.workflow",
            object_id=str(workflow.pk),
            object_repr=workflow.name,
            after={"added": added, "steps": [step["name"] for step in steps]},
        )
    return workflow, False


@transaction.atomic
def workflow_assign(*, page: Page, workflow: Workflow) -> bool:
    """Attach a workflow to a column subtree (only where none is attached yet)."""
    _, created = WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": workflow})
    return created


# --------------------------------------------------------------------------- the one road


def content_digest(revision) -> str:
    """SHA-256 of the revision's content and of what it embeds by reference:
    tables from .xlsx (their HTML and the original's SHA-256), which the page
    shows but its content only names by id. Without tables, the content alone."""

    payload = json.dumps(revision.content, sort_keys=True, ensure_ascii=False, default=str)
    tables = tables_in_content(revision.content)
    if tables:
        embedded = [{"table": t.pk, "html": t.html, "source_sha256": t.source.sha256} for t in tables]
        payload += json.dumps(embedded, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _steps(workflow_state: WorkflowState) -> list[dict[str, Any]]:
    states = (
        TaskState.objects.filter(workflow_state=workflow_state, status=TaskState.STATUS_APPROVED)
        .select_related("task", "finished_by")
        .order_by("finished_at", "pk")
    )
    confirmations = {
        c.task_state_id: c.items for c in StepConfirmation.objects.filter(task_state__in=list(states))
    }
    return [
        {
            "step": index,
            "task": state.task.name,
            "user": state.finished_by_id,
            "user_name": state.finished_by.get_full_name() or state.finished_by.get_username()
            if state.finished_by
            else "",
            "started_at": state.started_at.isoformat(),
            "finished_at": state.finished_at.isoformat() if state.finished_at else None,
            "comment": state.comment,
            # The checklist the reviewer ticked (网站管理制度 第十四条 (八); 一(四) 9).
            "confirmations": confirmations.get(state.pk, []),
        }
        for index, state in enumerate(states, start=1)
    ]


@transaction.atomic
def chain_finished(workflow_state: WorkflowState, user=None) -> None:
    """WAGTAIL_FINISH_WORKFLOW_ACTION: the last step was approved, so publish.

    This is the only place a governed page goes live (网站管理制度 第十一条), and
    the publication record is written in the same transaction (信息发布管理制度 (十)).
    """

    page = workflow_state.content_object
    revision = page.get_latest_revision()
    with chain_publishing():
        revision.publish(user=user)
    page.refresh_from_db()
    # 网站政务信息发布的管理规定 一(二): no EXIF/GPS in what goes out, however the
    # image came in; before the media are archived (same transaction).
    images_stripped = page_images_strip_metadata(page=page, actor=user)
    specific = page.specific
    requester = workflow_state.requested_by
    department = getattr(specific, "source_department", None) or (requester.department if requester else None)
    parent = page.get_parent()
    record = PublicationRecord(
        page=page,
        revision=revision,
        title=page.title,
        column_title=parent.title if parent else "",
        department=department,
        drafter=requester,
        drafter_name=(requester.get_full_name() or requester.get_username()) if requester else "",
        submitted_at=workflow_state.created_at,
        # The real time of going live; never back-dated.
        published_at=page.last_published_at or timezone.now(),
        publisher=user,
        workflow_name=workflow_state.workflow.name,
        steps=_steps(workflow_state),
        content_sha256=content_digest(revision),
        materials=materials_archive(page=page, revision=revision),
        screening={
            **screening_summary(page=page, revision=revision),
            "images_stripped": images_stripped,
        },
    )
    record.save()
    audit.record(
        action="publishing.record.created",
        actor=user,
        obj=record,
        after={"page": page.pk, "revision": revision.pk, "content_sha256": record.content_sha256},
    )


@transaction.atomic
def page_takedown(*, page: Page, actor, reason: str) -> TakedownRecord:
    """Emergency unpublishing (网站管理制度 第十八条): 网站管理员 or 信息发布员, with a reason."""
    if not (user_role_keys(actor) & TAKEDOWN_ROLES):
        raise PermissionDenied(_("只有网站管理员或信息发布员可以紧急撤下已发布的信息。"))
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError(_("请填写撤下原因（至少4个字）。"))
    if not page.live:
        raise ValidationError(_("该页面未发布，无需撤下。"))
    with takedown_in_progress():
        page.specific.unpublish(user=actor)
    takedown = TakedownRecord.objects.create(page=page, title=page.title, actor=actor, reason=reason)
    audit.record(action="publishing.page.taken_down", actor=actor, obj=page, after={"reason": reason})
    return takedown


def submit_for_review(*, page: Page, actor) -> WorkflowState:
    """Send the latest revision into the page's approval chain (what the editor's
    "提交审核" button does); used by code and tests."""
    workflow = page.get_workflow()
    if workflow is None:
        raise ValidationError(_("该栏目没有配置审批流程。"))
    if not page.permissions_for_user(actor).can_edit():
        raise PermissionDenied(_("您不能在该栏目起草或提交信息。"))

    blocking = [f for f in page_findings_latest(page) if f.blocking]
    if blocking:
        # Same gate as the editor's submit button (网站管理制度 第八条/第十四条).
        raise ValidationError([describe(f) for f in blocking])
    return workflow.start(page, actor)


def task_act(*, page: Page, actor, action: str, comment: str = "", confirmed: Iterable[str] = ()) -> None:
    """Approve or reject the current step as ``actor`` (the editor's workflow actions).
    ``confirmed``: the checklist items the reviewer ticked (a step with a checklist
    is approved only when every item is ticked)."""
    state = page.current_workflow_task_state
    if state is None:
        raise ValidationError(_("该信息当前不在审批流程中。"))
    task = state.task.specific
    if action not in {"approve", "reject"}:
        raise ValidationError(f"unknown action {action!r}")
    refusal = task.refusal(page, actor)
    if refusal:
        raise PermissionDenied(refusal)
    confirmed = set(confirmed)
    ticks = {f"confirm_{i}": item in confirmed for i, item in enumerate(task.checklist_items())}
    task.on_action(state.specific, actor, action, comment=comment, **ticks)


# --------------------------------------------------------------------------- reminders


def _step_reviewers(deadline) -> list:
    """Who may act on the step now (same rules as the task's own actions)."""
    state = deadline.task_state
    task = state.task
    page = state.workflow_state.content_object
    users = get_user_model().objects.filter(groups__in=task.groups.all(), is_active=True).distinct()
    return [u for u in users if u.email and task.refusal(page, u) is None]


@transaction.atomic
def overdue_reminders_send(*, now=None, dry_run: bool = False) -> list[dict[str, Any]]:
    """E-mail the reviewers of every overdue step, once a day per step."""

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    sent = []
    for deadline in overdue_steps(now=now):
        state = deadline.task_state
        if StepReminder.objects.filter(task_state=state, day=today).exists():
            continue
        recipients = [u.email for u in _step_reviewers(deadline)]
        page = state.workflow_state.content_object
        item = {
            "page": page.title,
            "step": state.task.name,
            "due": timezone.localtime(deadline.due).strftime("%Y-%m-%d %H:%M"),
            "recipients": recipients,
        }
        sent.append(item)
        if dry_run or not recipients:
            continue
        send_mail(
            subject=mail_subject(
                _("【待办超时】%(title)s（%(step)s）") % {"title": page.title, "step": state.task.name}
            ),
            message=(
                _("信息《%(title)s》的审批环节“%(step)s”已于 %(due)s 到期，请尽快办理。")
                % {"title": page.title, "step": state.task.name, "due": item["due"]}
                + f"\n{deadline.warning}"
            ).strip(),
            from_email=None,
            recipient_list=recipients,
        )
        StepReminder.objects.create(task_state=state, day=today, recipients=recipients)
        audit.record(action="publishing.reminder.sent", obj=page, after=item)
    return sent


# --------------------------------------------------------------------------- 行业信息 quota

QUOTA_ALERT_ROLES = (RoleKey.REVIEW_GROUP, RoleKey.WEBSITE_ADMIN)


def industry_quota_alert(*, day=None, dry_run: bool = False) -> dict[str, Any] | None:
    """网站管理制度 附表 3.4 行业信息 每天更新发布4篇: when a working day ended with
    fewer, e-mail the 信息发布管理小组 and the 网站管理员 (once per day). ``day``
    defaults to yesterday (the task runs the next morning, after the day ended).
    Returns what was (or would be) sent, or None when nothing is due."""
    day = day or timezone.localdate() - dt.timedelta(days=1)
    if not load_calendar().is_working_day(day) or IndustryQuotaAlert.objects.filter(day=day).exists():
        return None
    published = industry_published_per_day(first=day, after=day + dt.timedelta(days=1))[day]
    if published >= INDUSTRY_DAILY_QUOTA:
        return None
    recipients = sorted(
        set(
            get_user_model()
            .objects.filter(is_active=True, groups__role__key__in=QUOTA_ALERT_ROLES)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    item = {
        "day": day.isoformat(),
        "published": published,
        "quota": INDUSTRY_DAILY_QUOTA,
        "recipients": recipients,
    }
    if dry_run:
        return item
    with transaction.atomic():
        alert = IndustryQuotaAlert.objects.create(
            day=day, published=published, quota=INDUSTRY_DAILY_QUOTA, recipients=recipients
        )
        audit.record(action="publishing.industry_quota.alerted", obj=alert, after=item)
    if recipients:
        send_mail(
            mail_subject(
                _("【行业信息未达标】%(day)s 发布 %(n)d 篇（应 %(quota)d 篇）")
                % {"day": day.isoformat(), "n": published, "quota": INDUSTRY_DAILY_QUOTA}
            ),
            _(
                "按《网站栏目信息发布分类》，“行业信息”栏目每天更新发布 %(quota)d 篇；"
                "%(day)s 仅发布 %(n)d 篇。请督促各业务科室及时收集行业动态（信息传递制度 (三)）。"
            )
            % {"day": day.isoformat(), "n": published, "quota": INDUSTRY_DAILY_QUOTA},
            None,
            recipients,
        )
    return item


# --------------------------------------------------------------------------- archive


def _used_media(page: Page):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    models = {get_image_model(): "image", get_document_model(): "document"}
    for model, kind in models.items():
        ids = (
            ReferenceIndex.get_references_for_object(page)
            .filter(to_content_type=ContentType.objects.get_for_model(model))
            .values_list("to_object_id", flat=True)
        )
        for obj in model.objects.filter(pk__in=[int(i) for i in ids]).order_by("pk"):
            yield kind, obj
    # Tables from .xlsx: the original workbook each was made from.
    for source in spreadsheet_sources(page=page):
        yield "spreadsheet", source


def materials_archive(*, page: Page, revision) -> list[dict[str, Any]]:
    """Copy the images and documents a publication uses into the archive, with
    their SHA-256, so the record keeps what was published even if the media
    library changes later (信息发布管理制度 (十))."""
    ReferenceIndex.create_or_update_for_object(page.specific)
    archived = []
    for kind, obj in _used_media(page):
        digest = hashlib.sha256()
        size = 0
        with obj.file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
                size += len(chunk)
        sha256 = digest.hexdigest()
        name = f"publication-archive/{sha256[:2]}/{sha256}{Path(obj.file.name).suffix.lower()}"
        if not default_storage.exists(name):
            with obj.file.open("rb") as handle:
                default_storage.save(name, File(handle))
        archived.append(
            {
                "kind": kind,
                "id": obj.pk,
                "title": getattr(obj, "title", None) or str(obj),
                "archived_as": name,
                "sha256": sha256,
                "size": size,
            }
        )
    return archived


def screening_summary(*, page: Page, revision) -> dict[str, Any]:
    """What screening found in the published revision and which warnings were
    acknowledged, by whom and why (for the publication record)."""
    return {
        "findings": [f.as_dict() for f in page_findings_latest(page)],
        "acknowledgements": finding_acknowledgements(revision=revision),
    }
