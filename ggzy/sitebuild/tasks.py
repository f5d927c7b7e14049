from django_tasks import task

from .services import site_check


@task()
def verify_and_restore_site() -> dict:
    """Periodic (every 5 minutes): check the publish root against the signed
    manifest and restore what was tampered with (网络信息安全故障应急预案 第六条;
    also `manage.py verify_site --restore`)."""
    result = site_check(restore=True)
    report = result.report
    return {
        "check": result.record.pk,
        "intact": report.intact,
        "modified": len(report.modified),
        "added": len(report.added),
        "missing": len(report.missing),
        "manifest_error": report.manifest_error,
        "intact_after_restore": result.after.intact if result.after is not None else None,
    }
