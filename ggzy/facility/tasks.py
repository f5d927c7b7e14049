"""Periodic work of the facility app (each also a management command)."""

from django_tasks import task

from . import services


@task()
def poll_sensors() -> int:
    """网络机房管理制度 一(三)1、2: read every room sensor and UPS (every minute)."""
    return len(services.poll_sensors())
