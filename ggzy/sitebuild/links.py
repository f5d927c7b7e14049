"""Broken internal links on the published site (政府网站与政务新媒体检查指标: 不可用链接;
a broken link on the home page is a veto item): every HTML file of the signed manifest
is read, its ``href``/``src`` targets on this site resolved as the web server would
(``…/`` → ``…/index.html``), and a target that is neither a published file nor a
dynamic path of the app is reported with the page that links to it.

Streams: one file at a time, the manifest's path set held once (a few MB at the bench's
300,000 files)."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
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
    return _record(report, scope=LinkCheck.FULL, started=started)


# --------------------------------------------------------------------------- on every publish


# A publish re-checks at most this many pages of the open findings; the rest keep theirs.
RECHECK_CAP = 200


def open_publish_findings() -> list[tuple[str, str]]:
    """What the publish-time checks report now: the (page, target) pairs of the newest
    publish-scope run since the last full crawl (each run carries the findings still
    open, so the newest one is the state). Empty after a full crawl. Two queries."""
    last_full = (
        LinkCheck.objects.filter(scope=LinkCheck.FULL)
        .order_by("-checked_at")
        .values_list("checked_at", flat=True)
        .first()
    )
    runs = LinkCheck.objects.filter(scope=LinkCheck.PUBLISH)
    if last_full is not None:
        runs = runs.filter(checked_at__gt=last_full)
    newest = runs.order_by("-checked_at", "-pk").only("broken", "broken_count").first()
    if newest is None or not newest.broken_count:
        return []
    return [(page, target) for page, target in newest.broken]


def check_written(
    *, root: Path | str | None = None, written: Iterable[str], recheck: Iterable[str] = ()
) -> LinkReport:
    """The internal links of just the HTML files a publish wrote — and of the pages in
    ``recheck`` (the open findings: a later publish may have created their target or
    rewritten them) that are still published — against the signed manifest (each
    target looked up in its bucket, not the whole path set loaded)."""
    root = publish_root(root)
    hosts = _site_hosts()
    report = LinkReport()
    written_pages = {p for p in written if p.endswith(".html")}
    if not written_pages:
        return report
    pages = sorted(written_pages | set(recheck))
    with exclusive_lock(lock_path(root)), open_manifest(root) as manifest:
        published = manifest.files
        for page in pages:
            if page not in written_pages and page not in published:
                continue  # removed since it was found: nothing left to fix
            try:
                text = (root / page).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
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


def _record(report: LinkReport, *, scope: str, started: float) -> LinkCheck:
    with transaction.atomic():
        record = LinkCheck.objects.create(
            scope=scope,
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
            scope=scope,
            broken=record.broken_count,
            home_broken=record.home_broken_count,
        )
    return record


def link_check_written(*, root: Path | str | None = None, written: Iterable[str]) -> LinkCheck | None:
    """After a publish: check and record the pages it wrote (政府网站检查指标 不可用链接,
    found at publishing rather than the next night), and re-check the pages of the
    findings still open from earlier publishes, so that what a later publish fixed (the
    page rewritten, or the missing target now published) leaves the check at once
    rather than at the next nightly crawl. The record carries every finding still open
    (pages beyond RECHECK_CAP keep their earlier findings). None when no HTML was written."""
    started = time.perf_counter()
    earlier = open_publish_findings()
    written = list(written)
    open_pages = list(dict.fromkeys(page for page, _target in earlier))
    recheck, carried = open_pages[:RECHECK_CAP], set(open_pages[RECHECK_CAP:])
    report = check_written(root=root, written=written, recheck=recheck)
    if not report.pages:
        return None
    checked = {p for p in written if p.endswith(".html")} | set(recheck)
    for page, target in earlier:
        if page in carried and page not in checked:
            report.broken.append((page, target))
            report.home_broken += page == "index.html"
    return _record(report, scope=LinkCheck.PUBLISH, started=started)


# --------------------------------------------------------------------------- external links, nightly


@dataclass
class ExternalReport(LinkReport):
    hosts: int = 0
    skipped: int = 0  # URLs beyond the run's cap


def external_targets(root: Path, hosts: set[str]) -> tuple[dict[str, list[str]], int]:
    """External http(s) URL → the published pages that link to it (first few kept)."""
    with exclusive_lock(lock_path(root)), open_manifest(root) as manifest:
        pages = sorted(p for p in manifest.files if p.endswith(".html"))
    targets: dict[str, list[str]] = {}
    for page in pages:
        try:
            text = (root / page).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        parser = _Targets()
        parser.feed(text)
        for target in parser.targets:
            parts = urlsplit(target)
            if parts.scheme in ("http", "https") and parts.netloc and parts.netloc.lower() not in hosts:
                url = target.split("#", 1)[0]
                linking = targets.setdefault(url, [])
                if len(linking) < 5:
                    linking.append(page)
    return targets, len(pages)


def _probe(url: str, timeout: float, delay: float = 0) -> str:
    """'' if the URL answers below 400; else the status or error (HEAD, then GET when
    the server refuses HEAD — after the host's politeness ``delay``, like any request)."""
    headers = {"User-Agent": "ggzy-linkcheck/1.0 (government website link check)"}
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers=headers)  # noqa: S310 (http(s) only)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                response.read(0)
                return ""
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 405, 501):
                if delay:
                    time.sleep(delay)
                continue
            return str(exc.code)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            return type(getattr(exc, "reason", exc)).__name__
    return "error"


def check_external(
    *,
    root: Path | str | None = None,
    concurrency: int | None = None,
    per_host_delay: float | None = None,
    timeout: float | None = None,
    limit: int | None = None,
) -> ExternalReport:
    """Every external link of the published site, once per URL: at most ``concurrency``
    hosts at a time, one request at a time per host with ``per_host_delay`` seconds
    between them (politeness), each request bounded by ``timeout``; at most ``limit``
    URLs a run. A broken URL is listed with each page that links to it."""
    root = publish_root(root)
    concurrency = concurrency or settings.LINKCHECK_EXTERNAL_CONCURRENCY
    per_host_delay = settings.LINKCHECK_EXTERNAL_HOST_DELAY if per_host_delay is None else per_host_delay
    timeout = timeout or settings.LINKCHECK_EXTERNAL_TIMEOUT
    limit = limit or settings.LINKCHECK_EXTERNAL_LIMIT
    targets, pages = external_targets(root, _site_hosts())
    urls = sorted(targets)
    report = ExternalReport(pages=pages, skipped=max(0, len(urls) - limit))
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in urls[:limit]:
        by_host[urlsplit(url).netloc.lower()].append(url)
    report.hosts = len(by_host)
    failures: dict[str, str] = {}
    lock = threading.Lock()

    def host_worker(host_urls: list[str]) -> None:
        for i, url in enumerate(host_urls):
            if i and per_host_delay:
                time.sleep(per_host_delay)
            error = _probe(url, timeout, per_host_delay)
            if error:
                with lock:
                    failures[url] = error

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        list(pool.map(host_worker, by_host.values()))
    report.links = min(len(urls), limit)
    for url in sorted(failures):
        for page in targets[url]:
            report.broken.append((page, f"{url} ({failures[url]})"))
            if page == "index.html":
                report.home_broken += 1
    return report


def external_link_check_run(*, root: Path | str | None = None, **options) -> LinkCheck:
    """The nightly external-link check (``check_external_links``), recorded."""
    started = time.perf_counter()
    report = check_external(root=root, **options)
    return _record(report, scope=LinkCheck.EXTERNAL, started=started)
