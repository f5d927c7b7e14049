"""Tamper protection (网页防篡改): checking the publish root against its signed
manifest and restoring it from the database.

网络安全管理办法 二(十一) / 网络信息安全故障应急预案 第六条 (网页内容被篡改):
every published file is in a signed manifest; a periodic check finds modified,
added and missing files and restores them from the database within minutes.
"""

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from ggzy.accounts.choices import RoleKey
from ggzy.audit import services as audit
from ggzy.core.branding import mail_subject
from ggzy.incidents.alerts import raise_alert, resolve_alert
from ggzy.incidents.choices import IncidentType, Severity
from ggzy.portal.models import ColumnPage
from ggzy.portal.sitemaps import sitemap_chunk_count

from .build import build
from .files import exclusive_lock, remove_file, sha256_file, walk_files
from .manifest import Manifest, ManifestError, lock_path, parse_source, verify_entries
from .models import TamperCheck
from .rendering import SPECIAL_FILES, archive_pages, asset_source
from .updates import is_public, publish_root
from .writer import Writer

logger = logging.getLogger("ggzy.sitebuild.services")

LIST_CAP = 1000  # paths kept per list in a TamperCheck row


@dataclass
class VerifyReport:
    root: Path
    files_checked: int = 0
    modified: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    manifest_error: str = ""

    @property
    def intact(self) -> bool:
        return not (self.manifest_error or self.modified or self.added or self.missing)


# --------------------------------------------------------------------------- checking


def _verify(root: Path) -> tuple[VerifyReport, Manifest | None]:
    """Compare the root with its manifest; the manifest stays open (for a
    restore) unless it could not be trusted. The caller closes it."""
    report = VerifyReport(root=root)
    symlinks: set[str] = set()

    def walk():
        for relative, path in walk_files(root):
            report.files_checked += 1
            if path.is_symlink():
                symlinks.add(relative)
            yield relative

    try:
        manifest, report.added, report.missing, present = verify_entries(root, walk())
    except ManifestError as exc:
        report.manifest_error = str(exc)
        return report, None
    for relative, sha, size in present:
        path = root / relative
        # A symlink where a file should be is a modification, whatever it points to.
        if relative in symlinks or path.lstat().st_size != size or sha256_file(path) != sha:
            report.modified.append(relative)
    return report, manifest


def site_verify(*, root: Path | str | None = None) -> VerifyReport:
    """Check the publish root against its signed manifest (verify_site)."""
    root = publish_root(root)
    with exclusive_lock(lock_path(root)):
        report, manifest = _verify(root)
        if manifest is not None:
            manifest.close()
        return report


def _restore_one(writer: Writer, relative: str) -> bool:
    """Re-render (or copy) one listed file from the database; False if its
    source is gone (the entry was stale)."""
    kind, a, b = parse_source(writer.files[relative]["source"])
    if kind == "asset":
        asset = asset_source("/" + relative)
        if asset is not None:
            writer.put(relative, asset.read_bytes(), "asset")
        return asset is not None
    if kind == "special":
        return a < len(SPECIAL_FILES) and writer.special(a) == relative
    if kind == "sitemap":
        if a > sitemap_chunk_count(writer.site):
            return False
        return writer.sitemap(a) == relative
    page = Page.objects.filter(pk=a).specific().first()
    if page is None or not is_public(page):
        return False
    if kind == "feed":
        return isinstance(page, ColumnPage) and writer.feed(page) == relative
    if kind == "project":  # the anchor: a published notice of the project
        code = getattr(page, "project_code", "")
        return bool(code) and writer.project(code) == relative
    return kind == "page" and b <= archive_pages(page) and writer.html(page, b) == relative


def _restore(root: Path, report: VerifyReport, manifest: Manifest | None) -> None:
    if manifest is None:
        # No trustworthy manifest: the database is the truth, so rebuild and re-sign.
        build(root)
        return
    writer = Writer(root, manifest.files, only_changed=False)
    for relative in report.added:
        path = root / relative
        if path.is_symlink() or path.is_file():
            remove_file(root, path)
    for relative in report.modified:
        remove_file(root, root / relative)  # a symlink goes too, never written through
    for relative in [*report.modified, *report.missing]:
        if relative in manifest.files and not _restore_one(writer, relative):
            writer.remove(relative)
    manifest.save()


@dataclass
class CheckResult:
    report: VerifyReport  # what the check found
    after: VerifyReport | None  # the re-check after restoring, if it restored
    record: TamperCheck

    @property
    def intact(self) -> bool:
        return (self.after or self.report).intact


def site_check(*, restore: bool, root: Path | str | None = None) -> CheckResult:
    """Verify the root; with ``restore`` re-render modified/missing files from the
    database, remove added ones and verify again. Records the outcome
    (网络信息安全故障应急预案 第六条)."""
    root = publish_root(root)
    started = time.perf_counter()
    with exclusive_lock(lock_path(root)):
        report, manifest = _verify(root)
        after = None
        try:
            if restore and not report.intact:
                _restore(root, report, manifest)
        finally:
            if manifest is not None:
                manifest.close()
        if restore and not report.intact:
            after, manifest = _verify(root)
            if manifest is not None:
                manifest.close()
    record = tamper_event(
        report=report,
        restored=after is not None,
        intact_after_restore=after.intact if after is not None else None,
        duration_ms=int((time.perf_counter() - started) * 1000),
    )
    return CheckResult(report=report, after=after, record=record)


def tamper_event(
    *, report: VerifyReport, restored: bool, intact_after_restore: bool | None, duration_ms: int = 0
) -> TamperCheck:
    """Record what a tamper check found: a TamperCheck row and, when anything was
    wrong, a security event in the audit chain (网络信息安全故障应急预案 第六条)."""
    if not report.intact:
        logger.error(
            "publish root %s tampered: %d modified, %d added, %d missing%s",
            report.root,
            len(report.modified),
            len(report.added),
            len(report.missing),
            f" ({report.manifest_error})" if report.manifest_error else "",
        )
    if not report.intact:
        audit.record(
            action="sitebuild.site.tampered",
            outcome="failure",
            object_type="sitebuild.publishroot",
            object_repr=str(report.root),
            modified=report.modified[:LIST_CAP],
            added=report.added[:LIST_CAP],
            missing=report.missing[:LIST_CAP],
            manifest_error=report.manifest_error[:300],
            restored=restored,
            intact_after_restore=intact_after_restore,
        )
    previous = TamperCheck.objects.filter(root=str(report.root)).order_by("-checked_at", "-pk").first()
    record = TamperCheck.objects.create(
        root=str(report.root),
        files_checked=report.files_checked,
        intact=report.intact,
        manifest_error=report.manifest_error[:300],
        modified=report.modified[:LIST_CAP],
        added=report.added[:LIST_CAP],
        missing=report.missing[:LIST_CAP],
        modified_count=len(report.modified),
        added_count=len(report.added),
        missing_count=len(report.missing),
        restored=restored,
        intact_after_restore=intact_after_restore,
        duration_ms=duration_ms,
    )
    # A finding episode starts when the previous check was intact (or there was none):
    # tell a person then, not every 5 minutes while the finding persists.
    if not report.intact and (previous is None or previous.intact):
        tamper_alert_send(record=record)
    # 应急预案 第六条 (网页内容被篡改): an incident alert, grouped per publish root;
    # recovered when the root checks intact again.
    if not report.intact:
        raise_alert(
            source="sitebuild",
            key=f"tamper:{report.root}",
            title=_("网页被篡改：%(root)s") % {"root": report.root},
            incident_type=IncidentType.ATTACK,
            severity=Severity.LARGE,
            detail=_("被修改 %(m)d、新增 %(a)d、缺失 %(x)d 个文件%(files)s；%(outcome)s")
            % {
                "m": len(report.modified),
                "a": len(report.added),
                "x": len(report.missing),
                "files": "（" + "、".join([*report.modified, *report.added, *report.missing][:10]) + "）",
                "outcome": _("已自动恢复，复查完好")
                if intact_after_restore
                else (_("自动恢复后仍未完好") if restored else _("未自动恢复")),
            },
            links=[(_("网页防篡改检查"), f"/admin/site/tamper-checks/inspect/{record.pk}/")],
        )
    else:
        resolve_alert(source="sitebuild", key=f"tamper:{report.root}", detail=_("防篡改检查复查完好"))
    return record


ALERT_ROLES = (RoleKey.WEBSITE_ADMIN, RoleKey.SECURITY_ADMIN)


def tamper_alert_send(*, record: TamperCheck) -> list[str]:
    """E-mail the 网站管理员 and the 安全管理员 about a tamper finding (网站管理制度
    第十八条: 发现恶意攻击行为，及时汇报; 应急预案 第六条 (一): 网页内容被篡改，立即报告)."""
    recipients = sorted(
        set(
            get_user_model()
            .objects.filter(is_active=True, groups__role__key__in=ALERT_ROLES)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if record.intact_after_restore:
        outcome = _("已自动从数据库恢复，复查完好。")
    elif record.restored:
        outcome = _("已尝试自动恢复，但复查仍未完好，请立即处理。")
    else:
        outcome = _("未自动恢复，请立即处理。")
    message = _(
        "%(time)s 网页防篡改检查发现发布目录 %(root)s 异常：被修改 %(modified)d 个、新增 %(added)d 个、"
        "缺失 %(missing)d 个文件。%(manifest)s%(outcome)s\n"
        "请在管理后台“网页防篡改检查”中查看详情，并按网络信息安全故障应急预案第六条报告。"
    ) % {
        "time": timezone.localtime(record.checked_at).strftime("%Y-%m-%d %H:%M"),
        "root": record.root,
        "modified": record.modified_count,
        "added": record.added_count,
        "missing": record.missing_count,
        "manifest": (_("清单错误：%(error)s。") % {"error": record.manifest_error})
        if record.manifest_error
        else "",
        "outcome": outcome,
    }
    if recipients:
        send_mail(mail_subject(_("【网页篡改告警】发现网页被篡改")), message, None, recipients)
    audit.record(
        action="sitebuild.tamper.alerted",
        outcome="failure" if not recipients else "success",
        object_type="sitebuild.tampercheck",
        object_id=str(record.pk),
        object_repr=record.root,
        recipients=recipients,
    )
    return recipients
