"""Approval-chain steps (Wagtail tasks) and the immutable publication record."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm
from wagtail.models import AbstractGroupApprovalTask, TaskState

from ggzy.audit import services as audit

from .permissions import page_within_reach
from .rules import release_refusal, separation_refusal

__all__ = [
    "DepartmentReviewTask",
    "PublicationRecord",
    "ReviewTask",
    "StepConfirmation",
    "StepReminder",
    "TakedownRecord",
]


# --------------------------------------------------------------------------- tasks


def after_step_url(obj, user) -> str | None:
    """Where a reviewer goes after acting on a step: None (Wagtail's choice, the
    editor) while they may still open the item, else their dashboard."""
    return None if page_within_reach(obj, user) else reverse("wagtailadmin_home")


class SeparatedApprovalTask(AbstractGroupApprovalTask):
    """Group approval with separation of duties (网站管理制度 第十一条) and a due time."""

    due_working_days = models.PositiveSmallIntegerField(
        _("办理时限（工作日）"),
        default=1,
        help_text=_("0 表示当个工作日内办结（会议、活动类信息，信息传递制度 (一)）。"),
    )
    # Confirmations the reviewer ticks before approving: kinds of prohibited content
    # no word list can catch (网站管理制度 第十四条 (八) 损害中心形象; 信息发布管理制度
    # 一(四) 9 侵犯知识产权). Recorded per step (StepConfirmation) and in the record.
    checklist = models.TextField(
        _("审核确认事项"),
        blank=True,
        help_text=_("每行一项；审核人须逐项勾选确认后方可通过，确认情况记入信息发布记录。"),
    )
    approve_label = _("审核通过")

    admin_form_fields = [*AbstractGroupApprovalTask.admin_form_fields, "due_working_days", "checklist"]

    class Meta:
        abstract = True

    def refusal(self, obj, user) -> str | None:
        """Why ``user`` may not act on this step for ``obj``; None when they may."""
        if not self._user_in_groups(user):
            return _("您不在本环节的审核人员中。")  # superusers get no bypass: 三权分立
        return separation_refusal(obj.current_workflow_state, user, obj)

    def user_can_access_editor(self, obj, user):
        return self._user_in_groups(user)

    def locked_for_user(self, obj, user):
        return not self._user_in_groups(user)

    def checklist_items(self) -> list[str]:
        return [line.strip() for line in self.checklist.splitlines() if line.strip()]

    def get_actions(self, obj, user):
        if self.refusal(obj, user):
            return []
        state = obj.current_workflow_state
        task_state = state.current_task_state if state is not None else None
        # Issue 20: the last step's approval publishes — its button says so.
        label = (
            _("签发发布") if task_state is not None and self._is_last_step(task_state) else self.approve_label
        )
        if self.checklist_items():
            # Approving needs the ticks: always through the modal with the checklist.
            return [("reject", _("退回修改"), True), ("approve", label, True)]
        return [
            ("reject", _("退回修改"), True),
            ("approve", label, False),
            ("approve", _("通过并填写意见"), True),
        ]

    def get_form_for_action(self, action):
        items = self.checklist_items()
        if action != "approve" or not items:
            return super().get_form_for_action(action)
        fields = {
            f"confirm_{index}": forms.BooleanField(label=item, required=True)
            for index, item in enumerate(items)
        }
        return type("ChecklistApprovalForm", (TaskStateCommentForm,), fields)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        obj = task_state.workflow_state.content_object
        refusal = self.refusal(obj, user)
        if refusal:
            raise PermissionDenied(refusal)
        items = self.checklist_items()
        ticks = {key: kwargs.pop(key) for key in list(kwargs) if key.startswith("confirm_")}
        # Checked here, not only in the form: the editor's save-and-approve path
        # passes the modal's data straight to on_action.
        if action_name == "approve" and not all(ticks.get(f"confirm_{i}") is True for i in range(len(items))):
            raise PermissionDenied(_("请逐项勾选审核确认事项后再通过。"))
        if action_name == "approve" and self._is_last_step(task_state):
            refusal = release_refusal(obj)
            if refusal:
                raise PermissionDenied(refusal)
        if action_name == "approve" and items:
            # Before the approval: approving the last step publishes, and the
            # publication record reads the confirmations (rolled back together).
            confirmation = StepConfirmation.objects.create(task_state=task_state, user=user, items=items)
            audit.record(
                action="publishing.checklist.confirmed",
                actor=user,
                obj=obj,
                after={"step": self.name, "items": items, "confirmation": confirmation.pk},
            )
        super().on_action(task_state, user, action_name, **kwargs)
        # Issue 20: Wagtail's modal then sends the reviewer to the page's editor, which
        # is no longer theirs once their step is done: send them to their dashboard
        # instead (one green message, not a red refusal beside it).
        return after_step_url(obj, user)

    def _is_last_step(self, task_state) -> bool:
        workflow = task_state.workflow_state.workflow
        last = workflow.workflow_tasks.filter(task__active=True).order_by("-sort_order").first()
        return last is not None and last.task_id == self.pk

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if not self._user_in_groups(user):
            return TaskState.objects.none()
        return (
            self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
            .exclude(workflow_state__requested_by=user)
            .exclude(
                workflow_state__in=TaskState.objects.filter(
                    finished_by=user, status=TaskState.STATUS_APPROVED
                ).values("workflow_state")
            )
        )


class ReviewTask(SeparatedApprovalTask):
    """A review or publishing step by members of a group (信息发布管理小组, 分管领导, 信息发布员)."""

    class Meta:
        verbose_name = _("审核环节")
        verbose_name_plural = _("审核环节")

    @classmethod
    def get_description(cls):
        return _("所选用户组的成员审核；起草人不能审核本人信息，同一人不能审核两个环节。")


class DepartmentReviewTask(SeparatedApprovalTask):
    """科室负责人审核: only the head of the submitter's own department may act."""

    approve_label = _("科室审核通过")

    class Meta:
        verbose_name = _("科室负责人审核环节")
        verbose_name_plural = _("科室负责人审核环节")

    @classmethod
    def get_description(cls):
        return _("由提交人所在科室的科室负责人审核（网站政务信息发布的管理规定 二(四)）。")

    def refusal(self, obj, user) -> str | None:
        refusal = super().refusal(obj, user)
        if refusal:
            return refusal
        state = obj.current_workflow_state
        requester = state.requested_by if state is not None else None
        if requester is None or requester.department_id != user.department_id:
            return _("科室负责人只能审核本科室提交的信息。")
        return None

    # Issue 14 item 1: the head of another department neither opens nor locks the
    # submission (the step is not theirs to act on).
    def _of_the_submitters_department(self, obj, user) -> bool:
        state = obj.current_workflow_state
        requester = state.requested_by if state is not None else None
        return requester is not None and requester.department_id == user.department_id

    def user_can_access_editor(self, obj, user):
        return super().user_can_access_editor(obj, user) and self._of_the_submitters_department(obj, user)

    def locked_for_user(self, obj, user):
        return not self.user_can_access_editor(obj, user)

    def user_can_lock(self, obj, user):
        return super().user_can_lock(obj, user) and self._of_the_submitters_department(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return (
            super()
            .get_task_states_user_can_moderate(user, **kwargs)
            .filter(workflow_state__requested_by__department=user.department_id)
        )


# --------------------------------------------------------------------------- records


class PublicationRecord(models.Model):
    """信息发布日志 / 审批表: one immutable row per publication (信息发布管理制度 (十))."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.PROTECT,
        related_name="publication_records",
        verbose_name=_("页面"),
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.PROTECT, related_name="+", verbose_name=_("版本")
    )
    title = models.CharField(_("标题"), max_length=255)
    column_title = models.CharField(_("栏目"), max_length=255)
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("来源科室"),
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("起草人"),
    )
    drafter_name = models.CharField(_("起草人姓名"), max_length=150)
    submitted_at = models.DateTimeField(_("提交时间"))
    published_at = models.DateTimeField(_("发布时间"), db_index=True)
    publisher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("发布人"),
    )
    workflow_name = models.CharField(_("审批流程"), max_length=255)
    # [{"step", "task", "user", "user_name", "started_at", "finished_at", "comment"}]
    steps = models.JSONField(_("审批环节"), default=list)
    content_sha256 = models.CharField(_("内容摘要"), max_length=64)
    # 信息发布管理制度 (十) 原始资料归档: images and documents the page used, copied
    # to the archive. [{"kind", "id", "title", "archived_as", "sha256", "size"}]
    materials = models.JSONField(_("原始资料"), default=list)
    # 网站管理制度 第八条/第十四条 screening of the published revision: the (warning)
    # findings and who let each through, with the reason.
    screening = models.JSONField(_("内容审查"), default=dict)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("信息发布记录")
        verbose_name_plural = _("信息发布记录")
        indexes = [models.Index(fields=["department", "published_at"])]

    def __str__(self) -> str:
        # The center's time (Asia/Shanghai), as every other time in the admin.
        return f"{self.title} ({timezone.localtime(self.published_at):%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs):
        # Immutable: a record is written once, at publication.
        if self.pk is not None:
            raise PermissionDenied("publication records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("publication records cannot be deleted")

    @property
    def step_list(self) -> list[dict]:
        """Steps with their times as datetimes, for templates and exports."""
        import datetime as dt

        return [
            {
                **step,
                "finished": dt.datetime.fromisoformat(step["finished_at"])
                if step.get("finished_at")
                else None,
            }
            for step in self.steps
        ]


class TakedownRecord(models.Model):
    """Emergency unpublishing with its reason (网站管理制度 第十八条)."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.PROTECT, related_name="takedown_records", verbose_name=_("页面")
    )
    title = models.CharField(_("标题"), max_length=255)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )
    reason = models.TextField(_("撤下原因"))
    taken_down_at = models.DateTimeField(_("撤下时间"), auto_now_add=True)

    class Meta:
        ordering = ["-taken_down_at"]
        verbose_name = _("紧急撤稿记录")
        verbose_name_plural = _("紧急撤稿记录")

    def __str__(self) -> str:
        return self.title


class StepReminder(models.Model):
    """An overdue-step reminder that was sent (one per step per day)."""

    task_state = models.ForeignKey("wagtailcore.TaskState", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task_state", "day"], name="publishing_reminder_once_a_day")
        ]
        verbose_name = _("超时提醒")
        verbose_name_plural = _("超时提醒")

    def __str__(self) -> str:
        return f"{self.task_state_id} {self.day}"


class StepConfirmation(models.Model):
    """The checklist a reviewer ticked when approving a step (网站管理制度 第十四条 (八);
    信息发布管理制度 一(四) 9). Immutable; copied into the publication record."""

    task_state = models.OneToOneField(
        "wagtailcore.TaskState", on_delete=models.CASCADE, related_name="+", verbose_name=_("审批环节")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("审核人")
    )
    items = models.JSONField(_("已确认事项"), default=list)
    confirmed_at = models.DateTimeField(_("确认时间"), default=timezone.now)

    class Meta:
        verbose_name = _("审核确认")
        verbose_name_plural = _("审核确认")

    def __str__(self) -> str:
        return f"{self.task_state_id} {self.confirmed_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("step confirmations cannot be changed")
        super().save(*args, **kwargs)


class IndustryQuotaAlert(models.Model):
    """The 行业信息 day that ended under its quota and who was told (网站管理制度 附表
    3.4: 每天更新发布4篇). One row per day, so the alert goes out once."""

    day = models.DateField(_("日期"), unique=True)
    published = models.PositiveSmallIntegerField(_("发布篇数"))
    quota = models.PositiveSmallIntegerField(_("应发布篇数"))
    recipients = models.JSONField(_("收件人"), default=list)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("行业信息未达标提醒")
        verbose_name_plural = _("行业信息未达标提醒")

    def __str__(self) -> str:
        return f"{self.day} {self.published}/{self.quota}"
