"""Page permissions for governed pages: no publish outside a completed chain,
takedown only by the roles the regulation names, and every page action scoped
to the column's source departments (issue 14 item 1: add, edit, delete, move,
copy, lock and what the explorer, search and the admin API list)."""

from collections.abc import Callable, Iterable

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.models import Page, PagePermissionTester, WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy

from ggzy.accounts.choices import RoleKey

from .context import is_chain_publishing, is_takedown
from .rules import ALL_COLUMN_ROLES, TAKEDOWN_ROLES, user_may_draft_in, user_role_keys


class ColumnItem:
    """Marker for governed pages that are items of a column (articles, notices):
    their drafting rule is their parent column's."""


# --------------------------------------------------------------------------- lanes

# The column paths whose items a user may draft (their department is a source
# of the column): the portal, which owns the columns and their policies,
# registers how to compute them (publishing sits below the portal).
_lane_columns: Callable[[object], Iterable[str]] | None = None


def register_lane_columns(resolver: Callable[[object], Iterable[str]]) -> None:
    global _lane_columns
    _lane_columns = resolver


def works_on_every_column(user) -> bool:
    """The superuser and 信息科's roles (网站管理制度 第七条) are not scoped by department."""
    return user.is_superuser or bool(user_role_keys(user) & ALL_COLUMN_ROLES)


def lane_column_paths(user) -> frozenset[str]:
    """The paths of the columns in the user's lane, cached on the user for the request."""
    cached = user.__dict__.get("_ggzy_lane_columns")
    if cached is None:
        cached = frozenset(_lane_columns(user)) if _lane_columns and user.department_id else frozenset()
        user.__dict__["_ggzy_lane_columns"] = cached
    return cached


def column_item_content_types() -> list[ContentType]:
    models = [m for m in apps.get_models() if issubclass(m, ColumnItem)]
    return list(ContentType.objects.get_for_models(*models, for_concrete_models=False).values())


def out_of_lane_items(user) -> Q:
    """The column items outside the user's lane, as a filter on pages."""
    in_lane = Q(pk__in=[])
    for path in lane_column_paths(user):
        in_lane |= Q(path__startswith=path, depth=len(path) // Page.steplen + 1)
    return Q(content_type__in=column_item_content_types()) & ~in_lane


class GovernedPagePermissionPolicy(PagePermissionPolicy):
    """What the explorer, page search, the reports, the admin API's listing and
    detail (everything that asks which pages a user may act on or explore)
    offer: a department-scoped user gets no item of a column outside their
    lane — no title, no status."""

    def _scoped(self, user) -> bool:
        return user.is_active and not works_on_every_column(user)

    def instances_user_has_any_permission_for(self, user, actions):
        pages = super().instances_user_has_any_permission_for(user, actions)
        return pages.exclude(out_of_lane_items(user)) if self._scoped(user) else pages

    def explorable_instances(self, user):
        pages = super().explorable_instances(user)
        return pages.exclude(out_of_lane_items(user)) if self._scoped(user) else pages

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not super().user_has_any_permission_for_instance(user, actions, instance):
            return False
        if not self._scoped(user) or not isinstance(instance.specific_deferred, ColumnItem):
            return True
        return instance.path[: -Page.steplen] in lane_column_paths(user)


def may_shape_columns(user) -> bool:
    """Columns (栏目设置, 网站管理制度 第九条) are created, copied, moved and
    deleted by the 网站管理员 only (issue 14 item 5)."""
    return user.is_active and RoleKey.WEBSITE_ADMIN in user_role_keys(user)


def is_column_item_class(page_class) -> bool:
    return page_class is not None and issubclass(page_class, ColumnItem)


def workflow_in_progress_below(page) -> bool:
    """A submission in an approval chain at the page or below it."""
    subtree = Page.objects.filter(path__startswith=page.path).annotate(key=Cast("pk", CharField()))
    return (
        WorkflowState.objects.active()
        .filter(
            base_content_type=ContentType.objects.get_for_model(Page), object_id__in=subtree.values("key")
        )
        .exists()
    )


def page_within_reach(page, user) -> bool:
    """May the user see this page in the admin at all: it is explorable for them
    (in their lane), or they review its current step."""
    if user.is_superuser:
        return True
    if GovernedPagePermissionPolicy().explorable_instances(user).filter(pk=page.pk).exists():
        return True
    task = page.current_workflow_task
    return bool(task and task.user_can_access_editor(page, user))


# --------------------------------------------------------------------------- the tester


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

    def _in_lane(self) -> bool:
        return self.user.is_superuser or self._may_draft_here()

    def _structure_ok(self) -> bool:
        """A column (or the home) as a whole is the 网站管理员's to copy, move or delete."""
        return is_column_item_class(self.page.specific_class) or may_shape_columns(self.user)

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
        return self._in_lane()

    def can_edit(self):
        if not super().can_edit():
            return False
        return self.user.is_superuser or self._reviewing() or self._may_draft_here()

    # Issue 14 item 1: delete, move and copy answer to the same lane as editing,
    # and a submission in its chain is neither deleted nor moved, by anybody
    # (网站管理制度 第十一条: the chain decides what becomes of it).
    def can_delete(self, ignore_bulk=False):
        if not super().can_delete(ignore_bulk=ignore_bulk) or not self._in_lane() or not self._structure_ok():
            return False
        return not workflow_in_progress_below(self.page)

    def can_move_to(self, destination):
        # Wagtail lets the superuser past can_move(); the review rule holds for everybody.
        if not self.can_move() or not super().can_move_to(destination):
            return False
        if self.user.is_superuser:
            return True
        return destination.permissions_for_user(self.user).can_add_subpage()

    def can_copy(self):
        return super().can_copy() and self._in_lane() and self._structure_ok()

    def can_lock(self):
        return super().can_lock() and (self._in_lane() or self._reviewing())

    def can_unlock(self):
        if self.user_has_lock():
            return True
        return super().can_unlock() and (self._in_lane() or self._reviewing())

    def can_reorder_children(self):
        return super().can_reorder_children() and self._in_lane()

    def can_view_revisions(self):
        return super().can_view_revisions() and (self._in_lane() or self._reviewing())


class GovernedPageMixin:
    """Mixed into the portal's page models."""

    def permissions_for_user(self, user):
        return GovernedPagePermissionTester(user, self)
