"""Periodic work of the facility app (each also a management command)."""

from django_tasks import task

from . import services


@task()
def poll_sensors() -> int:
    """网络机房管理制度 一(三)1、2: read every room sensor and UPS (every minute)."""
    return len(services.poll_sensors())


@task()
def downsample_readings() -> int:
    """网络机房管理制度 一(三)1: raw readings older than 30 days become 15-minute averages;
    the series is kept FACILITY_READINGS_KEEP_DAYS (≥ 1 year)."""
    return services.readings_downsample()[0]


@task()
def rollup_readings() -> int:
    """The closed 15-minute buckets become aggregates as they close (the week and month
    charts read them)."""
    return services.readings_rollup()
