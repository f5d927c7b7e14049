"""Reads of the tamper-check history (网页防篡改, 网络信息安全故障应急预案 第六条)."""

from datetime import datetime, timedelta

from django.db.models import QuerySet

from .models import TamperCheck

# The periodic check runs every 5 minutes (SCHEDULE_VERIFY_SITE); three missed
# runs mean the scheduler or the worker has stopped.
CHECK_STALE_AFTER = timedelta(minutes=15)

# The capped path lists (up to 1000 paths each) are only read by the detail view.
PATH_LISTS = ("modified", "added", "missing")


def tamper_check_list() -> QuerySet[TamperCheck]:
    """Newest first, without the path lists: a listing row needs only the counts."""
    return TamperCheck.objects.defer(*PATH_LISTS).order_by("-checked_at", "-pk")


def tamper_check_last_at() -> datetime | None:
    """When the check last ran (any outcome), or None if it never has."""
    return TamperCheck.objects.order_by("-checked_at").values_list("checked_at", flat=True).first()


def tamper_check_stale(*, now: datetime, last_at: datetime | None) -> bool:
    """The check has not run for longer than CHECK_STALE_AFTER (or never)."""
    return last_at is None or now - last_at > CHECK_STALE_AFTER
