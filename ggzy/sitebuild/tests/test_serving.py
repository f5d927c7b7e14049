"""make run mode: the published files answered in front of Django (HTTP through the WSGI app)."""

import io
import os
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formatdate, parsedate_to_datetime
from urllib.parse import unquote, urlsplit

import pytest
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.urls import URLPattern, URLResolver, get_resolver

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.portal.tests.factories import column, publish_article
from ggzy.sitebuild import services
from ggzy.sitebuild.serving import (
    CACHE_IMMUTABLE,
    DYNAMIC_PREFIXES,
    FILE_FIRST_PREFIXES,
    PublishedSite,
    published_site,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Calling the WSGI app directly fires request_started/finished, whose
    close_old_connections would close the test transaction's connection
    (PostgreSQL; SQLite's in-memory database ignores it). Django's test client
    disconnects them the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


SECURITY = (
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Content-Security-Policy",
)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def from_file(self) -> bool:
        # Every response Django makes carries the audit request id; a file answer does not.
        return "X-Request-ID" not in self.headers


def call(app, url: str, method: str = "GET", headers: dict | None = None, body: bytes = b"", **extra):
    """One HTTP request through a WSGI app, as gunicorn would pass it."""
    parts = urlsplit(url)
    environ = {
        "REQUEST_METHOD": method,
        # WSGI: the percent-decoded path, its UTF-8 bytes as latin-1 text.
        "PATH_INFO": unquote(parts.path).encode("utf-8").decode("latin-1"),
        "QUERY_STRING": parts.query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in (headers or {}).items()},
        **extra,
    }
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"] = int(status.split()[0])
        seen["headers"] = dict(response_headers)

    result = app(environ, start_response)
    try:
        data = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return Response(seen["status"], seen["headers"], data)


@pytest.fixture
def site(settings):
    bidding = column("jyxx/jsgc/zbgg")
    article = publish_article(bidding, "道路改造工程招标公告", slug="道路改造工程")
    services.site_build()
    return article


@pytest.fixture
def app(settings):
    return PublishedSite(get_wsgi_application(), root=settings.PUBLISH_ROOT)


def test_a_published_page_is_served_from_its_file_with_the_headers_django_sends(client, app, site, settings):
    path = settings.PUBLISH_ROOT / unquote(site.url).strip("/") / "index.html"
    assert "道路改造工程" in unquote(site.url)  # a UTF-8 file name, looked up by the decoded path
    assert path.is_file()

    response = call(app, site.url)

    assert response.status == 200 and response.from_file
    assert response.body == path.read_bytes()
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Length"] == str(path.stat().st_size)
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Last-Modified"] == formatdate(int(path.stat().st_mtime), usegmt=True)
    assert response.headers["ETag"].startswith('"')
    dynamic = client.get(site.url)
    assert {h: response.headers[h] for h in SECURITY} == {h: dynamic.headers[h] for h in SECURITY}
    # The language is the page's <html lang>; neither the app (no LocaleMiddleware, issue 20)
    # nor nginx sends Content-Language, and the file layer answers as they do.
    assert "Content-Language" not in response.headers and "Content-Language" not in dynamic.headers
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP on loopback


def test_hsts_on_https_as_django_sends_it(app, site, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    app = PublishedSite(app.app, root=settings.PUBLISH_ROOT)
    assert "Strict-Transport-Security" not in call(app, "/").headers
    secure = call(app, "/", **{"wsgi.url_scheme": "https"})
    assert secure.from_file and secure.headers["Strict-Transport-Security"] == "max-age=3600"


def test_home_column_and_head(app, site, settings):
    home = call(app, "/")
    assert home.status == 200 and home.from_file and "道路改造工程招标公告" in home.body.decode()
    listing = call(app, "/jyxx/jsgc/zbgg/")
    assert (
        listing.from_file
        and listing.body == (settings.PUBLISH_ROOT / "jyxx/jsgc/zbgg/index.html").read_bytes()
    )
    head = call(app, "/jyxx/jsgc/zbgg/", method="HEAD")
    assert (
        head.status == 200 and head.body == b"" and head.headers["Content-Length"] == str(len(listing.body))
    )


def test_not_modified_by_etag_and_by_date(app, site):
    first = call(app, "/")
    again = call(app, "/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status == 304 and again.body == b"" and again.headers["ETag"] == first.headers["ETag"]
    assert call(app, "/", headers={"If-None-Match": '"other"'}).status == 200
    dated = call(app, "/", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert dated.status == 304
    assert call(app, "/", headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status == 200
    assert call(app, "/", headers={"If-Modified-Since": "garbage"}).status == 200


def test_other_http_date_formats_and_malformed_dates(app, site):
    first = call(app, "/")
    mtime = parsedate_to_datetime(first.headers["Last-Modified"])
    # RFC 850 and asctime, the two other formats HTTP allows, mean the same instant.
    for since in (mtime.strftime("%A, %d-%b-%y %H:%M:%S GMT"), mtime.strftime("%a %b %d %H:%M:%S %Y")):
        assert call(app, "/", headers={"If-Modified-Since": since}).status == 304, since
    far_future = "Fri, 31 Dec 9999 23:59:59 GMT"
    assert call(app, "/", headers={"If-Modified-Since": far_future}).status == 304
    malformed = [
        "Tue, 31 Feb 2026 00:00:00 GMT",  # no such day
        "Tue, 01 Jan 2030 25:61:00 GMT",  # no such time
        # No zone (here the server's local clock): not an HTTP date.
        (mtime + timedelta(hours=8)).strftime("%a, %d %b %Y %H:%M:%S"),
        mtime.strftime("%a, %d %b %Y %H:%M:%S +0800"),  # an e-mail date, not GMT
        "1767225600",
        "",
    ]
    for since in malformed:
        assert call(app, "/", headers={"If-Modified-Since": since}).status == 200, since


def test_a_republished_page_gets_a_new_etag(app, site, settings):
    before = call(app, "/").headers["ETag"]
    path = settings.PUBLISH_ROOT / "index.html"
    stamp = path.stat().st_mtime + 10
    os.utime(path, (stamp, stamp))
    assert call(app, "/").headers["ETag"] != before


def test_hashed_static_names_are_cached_for_a_year(app, site, settings):
    hashed = settings.PUBLISH_ROOT / "static/portal/site.0123456789ab.css"
    hashed.write_bytes(b"body{}")
    response = call(app, "/static/portal/site.0123456789ab.css")
    assert response.status == 200 and response.body == b"body{}"
    assert response.headers["Cache-Control"] == CACHE_IMMUTABLE
    assert response.headers["Content-Type"] == "text/css; charset=utf-8"
    plain = call(app, "/static/portal/site.css")
    assert plain.from_file and plain.headers["Cache-Control"] != CACHE_IMMUTABLE


def test_the_body_goes_out_through_the_servers_file_wrapper(app, site):
    used = []

    def file_wrapper(handle, block_size):
        used.append(block_size)
        with handle:
            return [handle.read()]

    response = call(app, "/", **{"wsgi.file_wrapper": file_wrapper})
    assert response.status == 200 and used and b"</html>" in response.body


def test_dynamic_requests_go_to_django(app, site, settings):
    # A column URL with a query string is a filtered or paginated listing.
    filtered = call(app, "/jyxx/jsgc/zbgg/?kind=construction.tender")
    assert filtered.status == 200 and not filtered.from_file
    # Writes never touch the files.
    assert not call(app, "/", method="POST").from_file
    # The admin stays dynamic (login page), as do the API and private-page forms.
    admin = call(app, "/admin/")
    assert admin.status == 302 and "/admin/login/" in admin.headers["Location"]
    (settings.PUBLISH_ROOT / "admin").mkdir()
    (settings.PUBLISH_ROOT / "admin/index.html").write_text("planted")
    assert b"planted" not in call(app, "/admin/").body
    assert not call(app, "/api/v1/notices/x").from_file
    # No file: a page published after the build (no on_commit here) is rendered by Wagtail.
    late = publish_article(column("zwgk"), "构建之后发布的信息")
    response = call(app, late.url)
    assert (
        response.status == 200 and not response.from_file and "构建之后发布的信息" in response.body.decode()
    )
    assert call(app, "/no/such/page/").status == 404


def test_the_admin_still_works_for_a_logged_in_user(app, site, client):
    login_as(client, make_user(RoleKey.WEBSITE_ADMIN, department="xinxi"))
    cookie = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
    response = call(app, "/admin/", headers={"Cookie": cookie})
    assert response.status == 200 and not response.from_file  # anonymous: 302 to the login


def test_traversal_is_refused(app, site, tmp_path):
    (tmp_path / "secret.txt").write_text("SECRET")
    for path in ["/../secret.txt", "/static/../../secret.txt", "/./index.html", "/a\\..\\b"]:
        response = call(app, "/", PATH_INFO=path)
        assert response.status == 400, path
        assert b"SECRET" not in response.body


def test_symlinks_are_never_followed(app, site, settings, tmp_path):
    root = settings.PUBLISH_ROOT
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("SECRET")
    (root / "linked").symlink_to(outside)  # a symlinked directory
    (root / "zwgk/leak.txt").symlink_to(outside / "index.html")  # a symlinked file
    # A page file replaced by a symlink (tampering): the app renders the real page.
    column_file = root / "jyxx/jsgc/zbgg/index.html"
    column_file.unlink()
    column_file.symlink_to(outside / "index.html")

    for url in ["/linked/", "/linked/index.html", "/zwgk/leak.txt"]:
        response = call(app, url)
        assert response.status == 404 and b"SECRET" not in response.body, url
    listing = call(app, "/jyxx/jsgc/zbgg/")
    assert listing.status == 200 and not listing.from_file and b"SECRET" not in listing.body


def test_hidden_names_are_not_served(app, site, settings):
    (settings.PUBLISH_ROOT / ".ggzy-half.tmp").write_text("half written")
    response = call(app, "/.ggzy-half.tmp")
    assert response.status == 404 and b"half written" not in response.body


def test_every_url_prefix_is_either_dynamic_or_file_first():
    """A new app URL must be classified here (and in deploy/nginx.conf), or the
    file layer could answer for it."""
    known = DYNAMIC_PREFIXES + FILE_FIRST_PREFIXES
    for pattern in get_resolver().url_patterns:
        route = str(pattern.pattern).lstrip("^")
        if route == "" and isinstance(pattern, URLResolver):
            continue  # Wagtail's page tree: the published files
        prefix = "/" + route.split("/")[0] + "/"
        assert isinstance(pattern, URLPattern | URLResolver)
        assert prefix.startswith(known), f"{route!r} is neither dynamic nor file-first"


def test_the_layer_can_be_switched_off(settings):
    django_app = get_wsgi_application()
    settings.GGZY_SERVE_PUBLISHED = False
    assert published_site(django_app) is django_app
    settings.GGZY_SERVE_PUBLISHED = True
    assert isinstance(published_site(django_app), PublishedSite)


def test_make_run_builds_the_site_once_when_there_is_no_manifest(settings):
    out = io.StringIO()
    call_command("ensure_site_built", stdout=out)
    assert "building the site" in out.getvalue()
    assert (settings.PUBLISH_ROOT / "index.html").is_file()
    out = io.StringIO()
    call_command("ensure_site_built", stdout=out)
    assert "already built" in out.getvalue()


def test_the_public_site_has_a_strict_csp_and_no_inline_script_or_style(app, site, settings, client):
    """Issue 14 item 13: default-src 'self', no inline script or style, file or dynamic."""
    import re

    for url in ["/", site.url, "/zwgk/", "/static/portal/site.css"]:
        response = call(app, url)
        policy = response.headers["Content-Security-Policy"]
        assert policy == settings.CSP_PUBLIC, url
        assert (
            "default-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
        )
        if url.endswith("/"):
            html = response.body.decode()
            assert not re.search(r"<style|<script(?![^>]*\bsrc=)|\sstyle=|\son[a-z]+=", html), url
    # Dynamic public answers (filtered listings, search, 404s) carry the same policy.
    for url in ["/jyxx/jsgc/zbgg/?date_from=2000-01-01", "/search/?q=工程", "/no/such/page/"]:
        assert client.get(url).headers["Content-Security-Policy"] == settings.CSP_PUBLIC, url
    # The admin gets its own policy, scripts still only from the site.
    admin = client.get("/admin/login/").headers["Content-Security-Policy"]
    assert admin == settings.CSP_ADMIN and "script-src 'self';" in admin


@pytest.mark.parametrize(
    "name",
    ["media/documents/招标文件.pdf", "media/original_images/site.png", "media/publication-archive/ab/x.pdf"],
)
def test_media_outside_renditions_is_never_answered_from_the_root(app, site, settings, name):
    """Issue 14 item 2: even a file that got into the publish root under /media/
    (but not under /media/images/) is not served; the app refuses it."""
    target = settings.PUBLISH_ROOT / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"PRIVATE UPLOAD")
    response = call(app, "/" + name)
    assert response.status == 404 and b"PRIVATE UPLOAD" not in response.body
