"""Availability probes of the public site (政府网站检查指标 站点无法访问), against real
HTTP and HTTPS servers on loopback: response recorded, three failures in a row raise one
incidents alert and a good probe recovers it, a certificate near its end is warned, and
the live check reads the newest probes."""

import datetime as dt
import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from ggzy.compliance.registry import all_checks, run_check
from ggzy.incidents.choices import AlertStatus
from ggzy.incidents.models import Alert
from ggzy.sitebuild import deploy
from ggzy.sitebuild.models import UptimeProbe
from ggzy.sitebuild.uptime import uptime_probe

pytestmark = pytest.mark.django_db


class _Site(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<html>ok</html>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _serve(context=None):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def site():
    server = _serve()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def check():
    return run_check(all_checks()["sitebuild.site_available"], today=timezone.localdate())


def test_probes_record_alert_after_three_failures_and_recover(site, settings):
    settings.UPTIME_BASE_URL = site
    probes = uptime_probe()
    assert [p.url for p in probes] == [f"{site}/", f"{site}/search/?q=%E5%85%AC%E5%91%8A"]
    assert all(p.ok and p.status_code == 200 for p in probes) and check().status == "met"

    port = deploy.free_port()
    settings.UPTIME_BASE_URL = f"http://127.0.0.1:{port}"  # nothing listens there yet
    start = timezone.now()
    for minute in range(1, 4):
        uptime_probe(now=start + dt.timedelta(minutes=minute))
        alerts = Alert.objects.filter(source="sitebuild", key__startswith="uptime:")
        assert alerts.count() == (0 if minute < 3 else 2)  # one per URL, at the third failure
    failing = UptimeProbe.objects.filter(ok=False).first()
    assert failing.status_code is None and failing.error
    assert check().status == "failing"
    # The site answers again on that port: the alerts recover.
    server = ThreadingHTTPServer(("127.0.0.1", port), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        uptime_probe(now=start + dt.timedelta(minutes=4))
    finally:
        server.shutdown()
        server.server_close()
    assert set(Alert.objects.filter(key__startswith="uptime:").values_list("status", flat=True)) == {
        AlertStatus.RECOVERED
    }


def test_probes_older_than_thirty_days_are_dropped(site, settings):
    settings.UPTIME_BASE_URL = site
    old = timezone.now() - dt.timedelta(days=31)
    UptimeProbe.objects.create(url=f"{site}/", checked_at=old, ok=True, status_code=200, elapsed_ms=5)
    uptime_probe()
    assert not UptimeProbe.objects.filter(checked_at__lt=timezone.now() - dt.timedelta(days=30)).exists()


def test_a_certificate_near_its_end_is_warned(settings, tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            shutil.which("openssl") or "/usr/bin/openssl",
            *("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "10", "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = _serve(context)
    try:
        settings.UPTIME_BASE_URL = f"https://127.0.0.1:{server.server_port}"
        settings.UPTIME_CA_FILE = str(cert)
        probes = uptime_probe()
    finally:
        server.shutdown()
        server.server_close()
    assert all(p.ok for p in probes)
    assert 8 <= (probes[0].tls_expires_at - timezone.now()).days <= 10
    alert = Alert.objects.get(source="sitebuild", key="tls:127.0.0.1")
    assert "证书将在" in alert.title
    assert check().status == "due_soon"
