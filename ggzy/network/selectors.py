"""Reads of the network register and its configuration versions."""

from __future__ import annotations

from django.db.models import QuerySet

from .choices import ConfigKind
from .models import ConfigVersion, Device


def devices() -> QuerySet[Device]:
    return Device.objects.select_related("owner", "segment", "room")


def latest_version(device: Device, kind: str) -> ConfigVersion | None:
    return (
        ConfigVersion.objects.filter(device=device, kind=kind)
        .select_related("content")
        .order_by("-number")
        .first()
    )


def drifted(device: Device) -> tuple[ConfigVersion, ConfigVersion] | None:
    """四(一): (saved, running) when the latest running and saved configurations differ."""
    running = latest_version(device, ConfigKind.RUNNING)
    saved = latest_version(device, ConfigKind.SAVED)
    if running is None or saved is None or running.content_id == saved.content_id:
        return None
    return saved, running


def unapproved_versions() -> QuerySet[ConfigVersion]:
    """四(四): running versions after the first with no approved change record."""
    return ConfigVersion.objects.filter(
        kind=ConfigKind.RUNNING, previous__isnull=False, change__isnull=True
    ).select_related("device")
