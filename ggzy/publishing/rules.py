"""Who may do what to governed pages: department scoping and separation of duties."""

from django.utils.translation import gettext as _
from wagtail.models import TaskState, WorkflowState

from ggzy.accounts.choices import RoleKey
from ggzy.screening.pagescreen import describe
from ggzy.screening.selectors import page_findings_latest, unacknowledged_warnings

# 网站管理制度 第七条: 信息科's website administrator and information publisher
# handle content of every column.
ALL_COLUMN_ROLES = frozenset({RoleKey.WEBSITE_ADMIN, RoleKey.PUBLISHER})
# 网站管理制度 第十八条: emergency takedown.
TAKEDOWN_ROLES = frozenset({RoleKey.WEBSITE_ADMIN, RoleKey.PUBLISHER})


def user_role_keys(user) -> set[str]:
    """Role keys of a user, cached on the instance for the request."""
    cached = getattr(user, "_ggzy_role_keys", None)
    if cached is None:
        cached = user.role_keys() if user.is_authenticated else set()
        user._ggzy_role_keys = cached
    return cached


def user_may_draft_in(user, policy) -> bool:
    """信息员 draft only where their department is a source (信息来源) of the column."""
    if user_role_keys(user) & ALL_COLUMN_ROLES:
        return True
    if policy.pk is None:
        return False
    return policy.source_departments.filter(pk=user.department_id).exists()


def separation_refusal(workflow_state: WorkflowState | None, user, page=None) -> str | None:
    """Why this user may not act on this submission, or None.

    网站管理制度 第十一条 and 审核制度 (四)/(七): the drafter never approves or
    publishes their own submission, and one person never approves two steps of
    the same submission.
    """
    if workflow_state is None:
        return None
    if workflow_state.requested_by_id == user.pk:
        return _("不能审核或发布本人提交的信息。")
    if page is not None and getattr(page, "owner_id", None) == user.pk:
        return _("不能审核或发布本人起草的信息。")
    already = TaskState.objects.filter(
        workflow_state=workflow_state, status=TaskState.STATUS_APPROVED, finished_by=user
    ).exists()
    if already:
        return _("同一人不能审核同一信息的两个环节。")
    return None


def release_refusal(page) -> str | None:
    """Why the page may not go live now: a blocking screening finding in its
    latest revision (网站管理制度 第八条/第十四条, 信息发布管理制度 (二)(三)(四)), or a
    warning no 信息发布管理小组 member has acknowledged."""

    blocking = [f for f in page_findings_latest(page) if f.blocking]
    if blocking:
        return _("内容审查发现阻止发布的问题，须退回修改：%(list)s") % {
            "list": "；".join(describe(f) for f in blocking[:5])
        }
    pending = unacknowledged_warnings(page=page)
    if pending:
        return _("内容审查警告尚未经信息发布管理小组确认：%(list)s") % {
            "list": "；".join(describe(f) for f in pending[:5])
        }
    return None
