from wagtail.admin.ui.components import Component
from wagtail.models import TaskState

from .rules import user_role_keys
from .selectors import open_step_deadlines

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
