"""Broken internal links on the published site (政府网站与政务新媒体检查指标: 不可用链接;
a broken link on the home page is a veto item): every HTML file of the signed manifest
is read, its ``href``/``src`` targets on this site resolved as the web server would
(``…/`` → ``…/index.html``), and a target that is neither a published file nor a
dynamic path of the app is reported with the page that links to it.

Streams: one file at a time, the manifest's path set held once (a few MB at the bench's
300,000 files)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import transaction

from ggzy.audit import services as audit
from ggzy.portal.selectors import site_identity

from .files import exclusive_lock
from .manifest import lock_path, open_manifest
from .models import LinkCheck
from .serving import DYNAMIC_PREFIXES
from .updates import publish_root

LIST_CAP = 1000
# Targets the app answers itself: dynamic prefixes, and the files Django serves on demand
# (a document or image not yet copied is fetched through the app's permission check).
APP_ANSWERS = (*DYNAMIC_PREFIXES, "/documents/", "/media/", "/static/")


class _Targets(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append(value.strip())


@dataclass
class LinkReport:
    pages: int = 0
    links: int = 0
    broken: list[tuple[str, str]] = field(default_factory=list)  # (page, target)
    home_broken: int = 0


def _site_hosts() -> set[str]:
    hosts = {h.lower() for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"}
    domain = site_identity().domain or getattr(settings, "GGZY_SITE_DOMAIN", "")
    return hosts | ({domain.lower()} if domain else set())


def _target_file(page: str, target: str, hosts: set[str]) -> str | None:
    """The manifest path a link needs, or None for one that is not ours to check."""
    parts = urlsplit(target)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None  # mailto:, tel:, javascript:, data:
    if parts.netloc and parts.netloc.lower() not in hosts:
        return None  # external (checked elsewhere)
    path = unquote(parts.path)
    if not path:
        return None  # "#fragment" or "?query" on the same page
    if not path.startswith("/"):
        base = "/" + page.rsplit("/", 1)[0] + "/" if "/" in page else "/"
        path = base + path
    if path.startswith(APP_ANSWERS) or (path.endswith("/") and parts.query):
        return None
    relative = path.strip("/")
    if path.endswith("/"):
        return f"{relative}/index.html" if relative else "index.html"
    return relative


def check_links(*, root: Path | str | None = None) -> LinkReport:
    root = publish_root(root)
    hosts = _site_hosts()
    report = LinkReport()
    with exclusive_lock(lock_path(root)), open_manifest(root) as manifest:
        published = set(manifest.files)
    for page in sorted(p for p in published if p.endswith(".html")):
        try:
            text = (root / page).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # missing files are the tamper check's finding
        parser = _Targets()
        parser.feed(text)
        report.pages += 1
        for target in parser.targets:
            needed = _target_file(page, target, hosts)
            if needed is None:
                continue
            report.links += 1
            if needed not in published:
                report.broken.append((page, target))
                if page == "index.html":
                    report.home_broken += 1
    return report


def link_check_run(*, root: Path | str | None = None) -> LinkCheck:
    """Run the check and record it (the nightly task, ``check_links``)."""
    started = time.perf_counter()
    report = check_links(root=root)
    with transaction.atomic():
        record = LinkCheck.objects.create(
            pages_checked=report.pages,
            links_checked=report.links,
            broken_count=len(report.broken),
            home_broken_count=report.home_broken,
            broken=[list(pair) for pair in report.broken[:LIST_CAP]],
            duration_ms=int((time.perf_counter() - started) * 1000),
        )
        audit.record(
            action="sitebuild.links.checked",
            actor=None,
            obj=record,
            broken=record.broken_count,
            home_broken=record.home_broken_count,
        )
    return record
