"""Reads for publishing: step deadlines and what is overdue."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from wagtail.models import TaskState

from ggzy.core.calendar import Calendar, add_working_days, load_calendar

from .models import DepartmentReviewTask, ReviewTask

STEP_TASK_MODELS = (DepartmentReviewTask, ReviewTask)


@dataclass(frozen=True)
class StepDeadline:
    task_state: TaskState
    due: dt.datetime
    overdue: bool
    warning: str  # non-empty when the holiday calendar lacks a year it crossed


def _end_of_day(day: dt.date) -> dt.datetime:
    hour, minute = (int(part) for part in settings.GGZY_WORKDAY_END.split(":"))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def step_due(task_state: TaskState, *, calendar: Calendar | None = None) -> tuple[dt.datetime, str]:
    """When a step must be done: its task's working days after it started
    (0 = the same working day; 信息传递制度 (一) for meetings and activities)."""
    task = task_state.task.specific
    days = getattr(task, "due_working_days", 1)
    started = timezone.localtime(task_state.started_at).date()
    result = add_working_days(started, days, calendar=calendar)
    return _end_of_day(result.date), result.warning


def open_step_deadlines(*, now: dt.datetime | None = None, states=None) -> list[StepDeadline]:
    """Every in-progress chain step with its due time; a fixed number of queries."""
    now = now or timezone.now()
    calendar = load_calendar()
    if states is None:
        states = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS)
    states = (
        states.select_related(
            "task",
            "workflow_state",
            "workflow_state__requested_by",
            "workflow_state__requested_by__department",
        )
        .prefetch_related("workflow_state__content_object")
        .order_by("started_at")
    )
    specific_tasks = {}
    for model in STEP_TASK_MODELS:
        specific_tasks.update({t.pk: t for t in model.objects.all()})
    deadlines = []
    for state in states:
        if state.task_id in specific_tasks:
            state.task = specific_tasks[state.task_id]
        due, warning = step_due(state, calendar=calendar)
        deadlines.append(StepDeadline(state, due, now > due, warning))
    return deadlines


def overdue_steps(*, now: dt.datetime | None = None) -> list[StepDeadline]:
    return [d for d in open_step_deadlines(now=now) if d.overdue]


# --------------------------------------------------------------------------- 退回修改


@dataclass(frozen=True)
class Rejection:
    """The reviewer's 退回修改 of an item waiting for its drafter's changes."""

    task_state: TaskState
    page_id: int
    title: str
    step: str
    reviewer: str
    comment: str
    at: dt.datetime


def _rejection(task_state: TaskState) -> Rejection:
    who = task_state.finished_by
    return Rejection(
        task_state=task_state,
        page_id=int(task_state.workflow_state.object_id),
        title=str(task_state.workflow_state.content_object),
        step=task_state.task.name,
        reviewer=str(who) if who else "",
        comment=task_state.comment,
        at=task_state.finished_at,
    )


def _open_rejections():
    from wagtail.models import WorkflowState

    return (
        TaskState.objects.filter(
            status=TaskState.STATUS_REJECTED,
            workflow_state__status=WorkflowState.STATUS_NEEDS_CHANGES,
        )
        .select_related("finished_by", "task", "workflow_state")
        .order_by("-finished_at")
    )


def rejections_for(user) -> list[Rejection]:
    """Issue 20: the items this user submitted that a reviewer sent back, newest first
    (the drafter's dashboard shows them with the reviewer's comment)."""
    return [_rejection(ts) for ts in _open_rejections().filter(workflow_state__requested_by=user)[:50]]


def rejection_of(page) -> Rejection | None:
    """The open 退回修改 of this page, if it is waiting for changes."""
    state = page.current_workflow_state
    if state is None:
        return None
    task_state = _open_rejections().filter(workflow_state=state).first()
    return _rejection(task_state) if task_state else None
