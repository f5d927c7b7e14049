from wagtail.admin.ui.components import Component
from wagtail.models import TaskState

from .reports import monthly_report
from .rules import user_role_keys
from .selectors import open_step_deadlines, rejections_for

OVERSIGHT_ROLES = {"website_admin", "publisher"}


class StepDeadlinesPanel(Component):
    """Steps waiting for this user, with due times; the 网站管理员 sees every
    overdue step (审核制度: 当天的重大活动当天发布)."""

    name = "step_deadlines"
    template_name = "publishing/deadlines_panel.html"
    order = 205

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        mine = TaskState.objects.reviewable_by(self.user).filter(status=TaskState.STATUS_IN_PROGRESS)
        my_deadlines = open_step_deadlines(states=mine)
        overdue = []
        if user_role_keys(self.user) & OVERSIGHT_ROLES:
            overdue = [d for d in open_step_deadlines() if d.overdue]
        return {"mine": my_deadlines, "overdue": overdue}


class MonthlyReportPanel(Component):
    """This month's 每月通报 figures as a bar chart (inline SVG, no external assets)."""

    name = "monthly_report"
    template_name = "publishing/monthly_report_panel.html"
    order = 240
    BAR_MAX = 240  # px for the largest value

    def __init__(self, user, today=None):
        self.user = user
        self.today = today

    def render_html(self, parent_context=None):
        if not (user_role_keys(self.user) & OVERSIGHT_ROLES):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        from django.utils import timezone

        today = self.today or timezone.localdate()
        report = monthly_report(year=today.year, month=today.month)
        peak = max([1] + [max(r.submitted, r.published) for r in report.departments])
        bars = [
            {
                "row": row,
                "y": 24 + index * 34,
                "submitted_w": round(row.submitted / peak * self.BAR_MAX),
                "published_w": round(row.published / peak * self.BAR_MAX),
            }
            for index, row in enumerate(report.departments)
        ]
        return {"report": report, "bars": bars, "height": 32 + len(bars) * 34}


class RejectionsPanel(Component):
    """Issue 20: the drafter's items sent back by a reviewer, with the comment
    (not only by e-mail)."""

    name = "rejections"
    template_name = "publishing/rejections_panel.html"
    order = 200

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        return {"rejections": rejections_for(self.user)}
