"""Issue 20: internal links checked on every publish for the pages written, and the
nightly external-link check (bounded concurrency, timeouts, per-host politeness), run
against real HTTP servers on loopback; both read by the live check."""

import http.server
import itertools
import threading
import time

import pytest
from django.utils import timezone

from ggzy.compliance.registry import all_checks, run_check
from ggzy.portal.tests.factories import column, publish_article
from ggzy.sitebuild import services
from ggzy.sitebuild.links import check_external, external_link_check_run, link_check_run
from ggzy.sitebuild.models import LinkCheck

pytestmark = pytest.mark.django_db


def no_broken_links():
    return run_check(all_checks()["sitebuild.no_broken_links"], today=timezone.localdate())


def test_a_publish_checks_the_pages_it_wrote(django_capture_on_commit_callbacks):
    publish_article(column("zwgk"), "中心简介", slug="intro")
    services.site_build()
    link_check_run()  # the nightly crawl: all good
    assert no_broken_links().status == "met"

    with django_capture_on_commit_callbacks(execute=True):
        page = publish_article(
            column("zytz"), "关于链接的通知", body='<p><a href="/gone/">失效</a></p>', slug="n3"
        )

    record = LinkCheck.objects.filter(scope=LinkCheck.PUBLISH).latest("checked_at")
    assert record.broken == [[page.url.strip("/") + "/index.html", "/gone/"]]
    # the column lists and the home page were written too, and checked with it
    assert record.pages_checked >= 3 and record.home_broken_count == 0
    result = no_broken_links()
    assert result.status == "failing" and "/gone/" in result.detail

    # the next nightly crawl supersedes the publish-time findings
    page.body = "<p>已修正</p>"
    page.save_revision().publish()
    services.site_build()
    link_check_run()
    assert no_broken_links().status == "met"


class _Handler(http.server.BaseHTTPRequestHandler):
    log = []  # (port, path, start, end)
    active = 0
    peak = 0
    lock = threading.Lock()

    def _answer(self, body: bool):
        counted = self.path != "/slow"  # abandoned by the client at its timeout: not in the peak
        with _Handler.lock:
            _Handler.active += counted
            _Handler.peak = max(_Handler.peak, _Handler.active)
        start = time.monotonic()
        try:
            if self.path == "/slow":
                time.sleep(4)  # longer than the check's timeout (a real slow server)
            if self.path == "/nohead" and self.command == "HEAD":
                self.send_response(405)
            elif self.path in ("/ok", "/nohead", "/ok2", "/ok3", "/slow"):
                self.send_response(200)
            else:
                self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with _Handler.lock:
                _Handler.active -= counted
                _Handler.log.append((self.server.server_port, self.path, start, time.monotonic()))

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)

    def log_message(self, *args):
        pass


@pytest.fixture
def servers():
    started = []
    for _ in range(3):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
    _Handler.log, _Handler.active, _Handler.peak = [], 0, 0
    yield [f"http://127.0.0.1:{s.server_port}" for s in started]
    for server in started:
        server.shutdown()
        server.server_close()


def test_external_links_are_checked_politely_and_listed_with_their_page(servers):
    a, b, c = servers
    body = (
        f'<p><a href="{a}/ok">好</a> <a href="{a}/gone">失效</a> <a href="{a}/nohead">无HEAD</a>'
        f' <a href="{c}/slow">慢</a> <a href="{b}/ok">好</a> <a href="{b}/ok2">好</a>'
        f' <a href="{c}/ok3">好</a> <a href="{a}/ok#frag">同一地址</a></p>'
    )
    page = publish_article(column("zytz"), "外部链接", body=body, slug="ext")
    other = publish_article(column("zwgk"), "另一页", body=f'<p><a href="{a}/gone">失效</a></p>', slug="ext2")
    services.site_build()

    report = check_external(concurrency=2, per_host_delay=0.2, timeout=2.5)  # a loaded 2-core machine

    file_of = lambda p: p.url.strip("/") + "/index.html"  # noqa: E731
    assert sorted((p, t.split(" ")[0]) for p, t in report.broken) == sorted(
        [(file_of(page), f"{a}/gone"), (file_of(other), f"{a}/gone"), (file_of(page), f"{c}/slow")]
    )
    assert any("404" in t for _p, t in report.broken) and report.hosts == 3 and report.links == 7
    # once per URL (the fragment is the same URL); HEAD refused → GET
    paths = [(port, path) for port, path, _s, _e in _Handler.log]
    assert paths.count((int(a.rsplit(":", 1)[1]), "/ok")) == 1
    assert (int(a.rsplit(":", 1)[1]), "/nohead") in paths
    # politeness: one request at a time per host, with the delay between them
    for port in {p for p, *_ in _Handler.log}:
        times = sorted((s, e) for p, _path, s, e in _Handler.log if p == port)
        for (_s1, e1), (s2, _e2) in itertools.pairwise(times):
            assert s2 >= e1 + 0.15, "two requests to one host at once or without the delay"
    # bounded concurrency: never more hosts at once than allowed
    assert _Handler.peak <= 2


def test_external_check_recorded_and_read_by_the_live_check(servers):
    a = servers[0]
    publish_article(column("zytz"), "外部", body=f'<p><a href="{a}/gone">失效</a></p>', slug="e1")
    services.site_build()
    link_check_run()
    assert no_broken_links().status == "met"
    record = external_link_check_run(concurrency=1, per_host_delay=0, timeout=2)
    assert record.scope == "external" and record.broken_count == 1
    result = no_broken_links()
    assert result.status == "failing" and f"{a}/gone" in result.detail


def test_external_check_limit_skips_beyond_the_cap(servers):
    a = servers[0]
    links = " ".join(f'<a href="{a}/ok?n={i}">{i}</a>' for i in range(5))
    publish_article(column("zytz"), "多链接", body=f"<p>{links}</p>", slug="many")
    services.site_build()
    report = check_external(concurrency=1, per_host_delay=0, timeout=2, limit=3)
    assert report.links == 3 and report.skipped == 2
