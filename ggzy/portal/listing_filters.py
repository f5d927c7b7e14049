"""Filters that the apps above the portal contribute to a column's list.

The portal lists every column the same way (``selectors.column_items``); an app
that knows more about some columns (``notices``: trading announcements by kind,
date and project code) registers a Wagtail hook under :data:`COLUMN_FILTER_HOOK`
instead of the portal calling it. A hook is called as
``fn(column=..., params=request.GET)`` and returns ``None`` for columns it does
not know, or a listing with ``active``, ``items`` and ``template_name`` (the
form the column page includes).
"""

from wagtail import hooks

__all__ = ["COLUMN_FILTER_HOOK", "column_filter"]

COLUMN_FILTER_HOOK = "ggzy_column_listing_filter"


def column_filter(*, column, params):
    """The first registered filter that knows this column, or None."""
    for fn in hooks.get_hooks(COLUMN_FILTER_HOOK):
        listing = fn(column=column, params=params)
        if listing is not None:
            return listing
    return None
