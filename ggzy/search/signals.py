"""Keep the search index current: publishing, unpublishing (takedown
included) and moving a page re-index it once the transaction has committed.
The portal and publishing apps need not know about search."""

from functools import partial

from django.db import transaction
from wagtail.signals import page_published, page_unpublished, post_page_move

from .documents import INDEXED_MODELS
from .services import index_pages


def _reindex(page_ids: list[int]) -> None:

    index_pages(page_ids=page_ids)


def _page_changed(sender, instance, **kwargs):

    if isinstance(instance, INDEXED_MODELS):
        transaction.on_commit(partial(_reindex, [instance.pk]), robust=True)


def _page_moved(sender, instance, **kwargs):
    # A moved column carries its items to a new path: re-index them all.
    from wagtail.models import Page

    def reindex():
        ids = list(Page.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True))
        _reindex(ids)

    transaction.on_commit(reindex, robust=True)


def connect() -> None:
    page_published.connect(_page_changed, dispatch_uid="search.page_published")
    page_unpublished.connect(_page_changed, dispatch_uid="search.page_unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="search.page_moved")
