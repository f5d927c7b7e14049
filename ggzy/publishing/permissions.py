"""Page permissions for governed pages: no publish outside a completed chain,
takedown only by the roles the regulation names, drafting scoped to the
column's source departments."""

from wagtail.models import PagePermissionTester

from .context import is_chain_publishing, is_takedown
from .rules import TAKEDOWN_ROLES, user_may_draft_in, user_role_keys


class GovernedPagePermissionTester(PagePermissionTester):
    def _may_draft_here(self) -> bool:
        """Department scoping, cached per column on the user for the request, so
        an explorer listing costs a query per column, not per page."""
        page = self.page
        in_column = isinstance(page.specific_deferred, ColumnItem)
        column_path = page.path[: -page.steplen] if in_column else page.path
        cache = self.user.__dict__.setdefault("_ggzy_drafting", {})
        if column_path not in cache:
            cache[column_path] = user_may_draft_in(self.user, page.specific_deferred.effective_policy)
        return cache[column_path]

    def _reviewing(self) -> bool:
        task = self.page.current_workflow_task
        return bool(task and task.user_can_access_editor(self.page, self.user))

    # 网站管理制度 第十一条: nothing goes live except by a completed approval chain.
    def can_publish(self):
        # The finishing step's approver publishes through the chain (services.chain_finished).
        return is_chain_publishing() and self.user.is_active and not self.page_is_root

    def can_publish_subpage(self):
        return False

    def can_set_view_restrictions(self):
        return False

    def can_unschedule(self):
        return False

    # 网站管理制度 第十八条: emergency takedown by 网站管理员 / 信息发布员, with a reason.
    def can_unpublish(self):
        if not (self.user.is_active and self.page.live) or self.page_is_root:
            return False
        return is_takedown() and bool(user_role_keys(self.user) & TAKEDOWN_ROLES)

    # 信息员 draft only in the columns their department supplies (网站栏目信息发布分类 信息来源).
    def can_add_subpage(self):
        if not super().can_add_subpage():
            return False
        if self.user.is_superuser:
            return True
        return self._may_draft_here()

    def can_edit(self):
        if not super().can_edit():
            return False
        if self.user.is_superuser or self._reviewing():
            return True
        return self._may_draft_here()


class ColumnItem:
    """Marker for governed pages that are items of a column (articles, notices):
    their drafting rule is their parent column's."""


class GovernedPageMixin:
    """Mixed into the portal's page models."""

    def permissions_for_user(self, user):
        return GovernedPagePermissionTester(user, self)
