"""Connect publishing to static publishing: sitebuild re-renders after a
publish, an unpublish, a move or a column policy change, once the transaction
has committed (so nothing is written for a rolled-back one). An item's update
runs right after the commit (publish-to-live latency); a column policy change
and a menu change (a full rebuild) are queued as tasks. The portal and the
publishing app need not know about sitebuild."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from ggzy.portal.models import ColumnPage, ColumnPolicy, HomePage, SiteIdentity

from . import services, tasks
from .rendering import PORTAL_TYPES


def _page_changed(sender, instance, **kwargs):
    if not isinstance(instance, PORTAL_TYPES) or kwargs.get("alias"):
        return
    transaction.on_commit(
        partial(
            services.site_page_changed,
            page_id=instance.pk,
            page_path=instance.path,
            first_published_at=instance.first_published_at,  # places a deleted page in the lists
        ),
        robust=True,
    )


def _page_moved(
    sender, instance, parent_page_before, parent_page_after, url_path_before, url_path_after, **kw
):
    cls = instance.specific_class  # the signal sends a plain Page
    if cls is None or not issubclass(cls, PORTAL_TYPES):
        return
    if not issubclass(cls, HomePage | ColumnPage) and url_path_before == url_path_after:
        return  # an item reordered among siblings: lists go by date (a column's order is the menu's)
    transaction.on_commit(
        partial(
            services.site_page_changed,
            page_id=instance.pk,
            page_path=instance.path,
            old_parent_path=parent_page_before.path,
        ),
        robust=True,
    )


def _policy_changed(sender, instance, **kwargs):
    transaction.on_commit(partial(tasks.rerender_column.enqueue, column_id=instance.column_id), robust=True)


def _identity_changed(sender, instance, **kwargs):
    """设置 › 网站标识 saved: the footer and <head> of every page change, so the whole
    site is rebuilt in the task worker (nothing before the first build_site)."""
    transaction.on_commit(tasks.rebuild_site.enqueue, robust=True)


def connect() -> None:
    page_published.connect(_page_changed, dispatch_uid="sitebuild.page_published")
    page_unpublished.connect(_page_changed, dispatch_uid="sitebuild.page_unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="sitebuild.page_moved")
    post_save.connect(_policy_changed, sender=ColumnPolicy, dispatch_uid="sitebuild.policy_saved")
    post_save.connect(_identity_changed, sender=SiteIdentity, dispatch_uid="sitebuild.identity_saved")
