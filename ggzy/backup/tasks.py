"""Background and periodic work of backup (GGZY_SCHEDULE in config/settings.py)."""

from django_tasks import task

from . import drills, services


@task()
def backup_task() -> str:
    """The nightly snapshot (应急预案 第十二条)."""
    return services.run_backup(tag="scheduled").status


@task()
def backup_maintenance_task() -> int:
    """Weekly: retention (forget --prune) and restic check on a data subset."""
    return len(drills.maintain_repository())


@task()
def restore_drill_task() -> str:
    """Monthly: restore the newest snapshot into scratch and verify it."""
    return drills.run_drill().status


@task()
def backup_now(actor_id: int, tag: str = "manual") -> str:
    """A backup started by a person: the admin page's button, an incident's playbook action."""
    from django.contrib.auth import get_user_model

    return services.run_backup(actor=get_user_model().objects.get(pk=actor_id), tag=tag).status


@task()
def restore_drill_now(actor_id: int) -> str:
    """A drill started from the admin page: its result completes the month's obligation."""
    from django.contrib.auth import get_user_model

    return drills.run_drill(actor=get_user_model().objects.get(pk=actor_id)).status
