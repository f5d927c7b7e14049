"""Reads of backup (bounded)."""

from .models import BackupRun, RestoreDrill


def recent_runs(limit: int = 50):
    return BackupRun.objects.select_related("started_by").order_by("-started_at", "-pk")[:limit]


def recent_drills(limit: int = 24):
    return RestoreDrill.objects.select_related("started_by").order_by("-started_at", "-pk")[:limit]
