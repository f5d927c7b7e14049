"""Fixed-window rate limits that hold across worker processes (issue 14 item 12).

- With ``REDIS_URL`` (the default cache is Redis): Redis' atomic ``SET NX`` and
  ``INCR`` through Django's cache.
- Otherwise (the embedded default): a row per key and window in the database,
  incremented with ``UPDATE … SET count = count + 1`` in a transaction, so every
  process sees the same count. Django's DatabaseCache is not used: its ``incr``
  is a read then a write, which lets concurrent workers through together.
"""

import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from .models import RateCounter


def backend() -> str:
    return "redis" if "redis" in settings.CACHES["default"]["BACKEND"].lower() else "database"


def hit(key: str, *, period: int = 60, now: float | None = None) -> int:
    """Count one call for ``key`` in the current window of ``period`` seconds; returns
    the calls counted in that window so far, this one included."""
    window = int((now if now is not None else time.time()) // period)
    if backend() == "redis":
        return _hit_cache(f"ratelimit:{key}:{window}", timeout=period * 2)
    return _hit_database(key, window)


def _hit_cache(key: str, *, timeout: int) -> int:
    from django.core.cache import cache

    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


def _hit_database(key: str, window: int) -> int:
    with transaction.atomic():
        updated = RateCounter.objects.filter(key=key, window=window).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window=window, count=1)
            except IntegrityError:  # another process created it first
                RateCounter.objects.filter(key=key, window=window).update(count=F("count") + 1)
            else:
                # A new window: the key's older windows are done with.
                RateCounter.objects.filter(key=key, window__lt=window - 1).delete()
        return RateCounter.objects.filter(key=key, window=window).values_list("count", flat=True).get()
