from django_tasks import task

from .links import external_link_check_run, link_check_run
from .tamper import site_check
from .updates import site_column_changed, site_home_changed, site_rebuild
from .uptime import uptime_probe
from .website_report import website_report_scheduled


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


@task()
def rebuild_site(root: str | None = None) -> dict:
    """The menu changed (a column or the home page published, unpublished,
    renamed or moved): the navigation is on every page, so rebuild the whole
    site, in the task worker rather than in the editor's request. Nothing before
    the first build_site."""
    result = site_rebuild(root=root)
    return {"rebuilt": not result.skipped, "skipped": result.skipped}


@task()
def rerender_column(column_id: int, root: str | None = None) -> dict:
    """A column's policy (layout) changed: re-render the column and the pages
    that take their layout from it (网站管理制度 第九条)."""
    result = site_column_changed(column_id=column_id, root=root)
    return {"rendered": len(result.rendered), "written": len(result.written), "skipped": result.skipped}


@task()
def rerender_home(root: str | None = None) -> dict:
    """Daily, just after midnight: the home page's 开标日程 runs from today over the
    next working days, so it changes with the date even when nothing is published."""
    result = site_home_changed(root=root)
    return {"written": len(result.written), "skipped": result.skipped}


@task()
def check_links() -> int:
    """政府网站检查指标 不可用链接: every internal link of the published site, nightly."""
    return link_check_run().broken_count


@task()
def check_external_links() -> int:
    """政府网站检查指标 不可用链接: every external link of the published site, nightly
    (bounded concurrency, per-host politeness, timeouts)."""
    return external_link_check_run().broken_count


@task()
def probe_uptime() -> int:
    """政府网站检查指标 站点无法访问: the public URLs probed every minute."""
    return sum(1 for probe in uptime_probe() if not probe.ok)


@task()
def store_website_report() -> dict:
    """On the 1st: last month's website report (PDF and xlsx), stored with its SHA-256
    and audited; a failure raises an incidents alert (also `manage.py website_report
    --store`)."""
    row = website_report_scheduled()
    return {"report": row.pk, "month": str(row), "pdf_sha256": row.pdf_sha256}
