"""deploy/: nginx.conf checked by nginx itself and run against a built publish
root and a live app; the systemd units checked by systemd-analyze."""

import configparser
import re
import shutil
import ssl
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from ggzy.portal.tests.factories import column, publish_article
from ggzy.sitebuild import deploy, services

from .helpers import deploy_example_environment

DEPLOY = Path(django_settings.BASE_DIR) / "deploy"


def fetch(url: str, *, method: str = "GET", headers: dict | None = None, data: bytes | None = None):
    """(status, headers, body) without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=data)  # noqa: S310
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_nginx_accepts_the_shipped_configuration(tmp_path):
    rendered = deploy.render_site(
        tmp_path / "nginx",
        root=tmp_path / "site",
        upstream="127.0.0.1:9",
        http_port=deploy.free_port(),
        https_port=deploy.free_port(),
    )
    result = deploy.nginx_test(rendered)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_admin_allow_list_is_the_documented_admin_networks():
    env = deploy_example_environment()
    locations = (DEPLOY / "nginx-locations.conf").read_text()
    admin = re.search(r"location \^~ /admin/ \{(.*?)\}", locations, re.S).group(1)
    allowed = set(re.findall(r"allow ([^;]+);", admin)) - {"127.0.0.1", "::1"}
    assert allowed == set(env["ADMIN_ALLOWED_NETWORKS"].split(","))
    assert "deny all;" in admin
    # The proxy nginx is declared to the app, or the admin would refuse every request.
    assert env["TRUSTED_PROXY_NETWORKS"].startswith("127.0.0.1/32")
    assert env["TRUSTED_PROXY_HEADER"] == "HTTP_X_FORWARDED_FOR"
    # Upload limit: the screening limit plus the multipart envelope.
    limit = int(re.search(r"client_max_body_size (\d+)m;", locations).group(1)) * 1024 * 1024
    assert (
        django_settings.SCREENING_MAX_UPLOAD_BYTES
        < limit
        <= django_settings.SCREENING_MAX_UPLOAD_BYTES + 2**21
    )


@pytest.mark.django_db(transaction=True)
def test_nginx_serves_the_publish_root_and_proxies_the_app(center, live_server, settings, tmp_path):
    settings.TRUSTED_PROXY_NETWORKS = ["127.0.0.1/32"]
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    article = publish_article(column("jyxx/jsgc/zbgg"), "道路改造工程招标公告", slug="道路改造工程")
    services.site_build()
    root = settings.PUBLISH_ROOT
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.html").write_text("SECRET")
    (root / "zwgk/leak.html").symlink_to(outside / "secret.html")

    http, https = deploy.free_port(), deploy.free_port()
    upstream = urlsplit(live_server.url).netloc
    rendered = deploy.render_site(
        tmp_path / "nginx", root=root, upstream=upstream, http_port=http, https_port=https
    )
    base = f"http://127.0.0.1:{http}"
    with deploy.nginx_running(rendered, http, https):
        status, headers, body = fetch(base + "/")
        assert status == 200 and body == (root / "index.html").read_bytes()
        assert "X-Request-ID" not in headers  # nginx answered, not the app
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Cache-Control"] == "no-cache" and headers["Server"] == "nginx"  # no version
        assert headers["Content-Security-Policy"] == settings.CSP_PUBLIC  # the same as the app's
        status, headers, body = fetch(base + article.url)
        assert status == 200 and body == (root / unquote(article.url).strip("/") / "index.html").read_bytes()
        etag = headers["ETag"]
        assert fetch(base + article.url, headers={"If-None-Match": etag})[0] == 304

        # Query strings on listings, the API and pages with no file go to the app.
        status, headers, body = fetch(base + "/jyxx/jsgc/zbgg/?date_from=2000-01-01")
        assert status == 200 and "X-Request-ID" in headers and "道路改造工程招标公告" in body.decode()
        status, headers, body = fetch(base + "/api/v1/openapi.json")
        assert status == 200 and "X-Request-ID" in headers and b"openapi" in body
        assert fetch(base + "/no/such/page/")[0] == 404
        # The admin through the declared proxy: the login page, not a refusal.
        status, headers, _ = fetch(base + "/admin/")
        assert status == 302 and "/admin/login/" in headers["Location"]

        # Never a symlink, never a hidden file; uploads above the limit stop at nginx.
        status, _, body = fetch(base + "/zwgk/leak.html")
        assert status in (403, 404) and b"SECRET" not in body
        (root / ".ggzy-x.tmp").write_text("half")
        assert fetch(base + "/.ggzy-x.tmp")[0] == 404
        too_big = b"x" * (22 * 1024 * 1024)
        assert fetch(base + "/api/v1/notices", method="POST", data=too_big)[0] == 413

        # Issue 14 item 2: no upload through /media/ (not even one in the root),
        # no unused document through /documents/.
        for name in ("media/documents/招标文件.pdf", "media/spreadsheets/开标记录.xlsx"):
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(b"PRIVATE UPLOAD")
            (settings.MEDIA_ROOT / name.removeprefix("media/")).parent.mkdir(parents=True, exist_ok=True)
            (settings.MEDIA_ROOT / name.removeprefix("media/")).write_bytes(b"PRIVATE UPLOAD")
            status, _, body = fetch(base + "/" + quote(name))
            assert status == 404 and b"PRIVATE UPLOAD" not in body
        draft = get_document_model().objects.create(
            title="招标文件草稿", file=ContentFile(b"PRIVATE DRAFT", name="draft.pdf")
        )
        status, _, body = fetch(base + quote(draft.url))
        assert status == 404 and b"PRIVATE DRAFT" not in body

        # Static assets compressed and cached; TLS with HSTS.
        status, headers, _ = fetch(base + "/static/portal/site.css", headers={"Accept-Encoding": "gzip"})
        assert headers["Content-Security-Policy"] == settings.CSP_PUBLIC
        assert (
            status == 200
            and headers["Content-Encoding"] == "gzip"
            and "max-age=3600" in headers["Cache-Control"]
        )
        status, headers, body = fetch(f"https://127.0.0.1:{https}/")
        assert status == 200 and body == (root / "index.html").read_bytes()
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db(transaction=True)
def test_nginx_answers_with_the_branded_error_pages(center, settings, tmp_path):
    """Issue 20: the app down → 50x.html from the root (502); nginx's own 404s → 404.html."""
    services.site_build()
    root = settings.PUBLISH_ROOT
    port, dead = deploy.free_port(), deploy.free_port()  # nothing listens on `dead`
    rendered = deploy.render_site(tmp_path / "nginx", root=root, upstream=f"127.0.0.1:{dead}", http_port=port)
    with deploy.nginx_running(rendered, port):
        status, headers, body = fetch(f"http://127.0.0.1:{port}/no/such/page/")
        assert status == 502 and body == (root / "50x.html").read_bytes()
        assert "服务暂时不可用" in body.decode() and headers["Cache-Control"] == "no-store"
        status, _, body = fetch(f"http://127.0.0.1:{port}/media/documents/x.pdf")
        assert status == 404 and "页面不存在（404）" in body.decode()
        assert fetch(f"http://127.0.0.1:{port}/")[0] == 200  # the published site stays up
        assert fetch(f"http://127.0.0.1:{port}/50x.html")[0] == 404  # internal only


@pytest.mark.django_db(transaction=True)
def test_nginx_refuses_the_admin_outside_the_admin_networks(center, live_server, settings, tmp_path):
    settings.TRUSTED_PROXY_NETWORKS = ["127.0.0.1/32"]
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    port = deploy.free_port()
    rendered = deploy.render_site(
        tmp_path / "nginx",
        root=settings.PUBLISH_ROOT,
        upstream=urlsplit(live_server.url).netloc,
        http_port=port,
        admin_allow=["10.255.0.0/16"],  # loopback is not an admin network here
    )
    with deploy.nginx_running(rendered, port):
        status, headers, _ = fetch(f"http://127.0.0.1:{port}/admin/login/")
        assert status == 403 and "X-Request-ID" not in headers
        assert fetch(f"http://127.0.0.1:{port}/api/v1/openapi.json")[0] == 200


@pytest.mark.parametrize("unit", ["ggzy-web", "ggzy-worker", "ggzy-scheduler"])
def test_systemd_units_are_valid_and_hardened(unit, tmp_path):
    text = (DEPLOY / "systemd" / f"{unit}.service").read_text()
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string(text)
    service = parser["Service"]
    assert service["User"] == "ggzy" and service["EnvironmentFile"] == "/etc/ggzy/ggzy.env"
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ReadWritePaths": "/srv/ggzy/var",
        "PrivateTmp": "yes",
        "ProtectHome": "yes",
        "CapabilityBoundingSet": "",
    }.items():
        assert service[key] == value, key
    # systemd itself finds nothing wrong (paths pointed at this checkout).
    systemd_analyze = shutil.which("systemd-analyze")
    if systemd_analyze is None:
        pytest.fail("systemd-analyze is missing (Debian's systemd package)")
    env = tmp_path / "ggzy.env"
    env.write_text("")
    rendered = tmp_path / f"{unit}.service"
    rendered.write_text(
        text.replace("/srv/ggzy", str(django_settings.BASE_DIR)).replace("/etc/ggzy/ggzy.env", str(env))
    )
    result = subprocess.run([systemd_analyze, "verify", str(rendered)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


def test_embedded_gunicorn_sends_no_server_banner(tmp_path):
    """bin/serve runs gunicorn with config/gunicorn.conf.py: no `Server: gunicorn`."""
    import http.client
    import sys
    import time

    serve = (django_settings.BASE_DIR / "bin/serve").read_text()
    assert "-c config/gunicorn.conf.py" in serve
    (tmp_path / "tinyapp.py").write_text(
        "def app(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [b'ok']\n"
    )
    port = deploy.free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "-c",
            str(django_settings.BASE_DIR / "config/gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--chdir",
            str(tmp_path),
            "tinyapp:app",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/")
                response = conn.getresponse()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.05)  # polling an outside process, not test logic
        assert response.status == 200 and response.read() == b"ok"
        assert response.getheader("Server") is None, response.getheaders()
    finally:
        server.terminate()
        server.wait(timeout=10)
