"""Serve the published files in front of Django (the embedded ``make run`` mode).

网络设备管理制度 第七条: the public site is plain files; the CMS stays inside.
In production nginx serves ``PUBLISH_ROOT`` (deploy/nginx.conf); on an
embedded server (one port, no nginx) this WSGI layer does the same job in
front of Django: a GET or HEAD for a public path is answered from the file
the build wrote, everything else goes to Django unchanged:

- the dynamic prefixes (admin, API, search, Wagtail's private-page forms),
- any other method than GET/HEAD,
- a page URL with a query string (a column's filtered listing, ``?page=N``),
- a path with no published file (drafts, documents not used by a live page,
  private pages, 404s and redirects), hidden names (temp files of a write)
  and symlinks, which are never followed (a symlink in the root is tampering;
  the app then renders the page itself and the periodic check restores it).

A path with ``..`` or a NUL is refused (400). Responses carry the security
headers Django's middleware sends, an ETag and Last-Modified (304 on a match),
long cache lifetimes for the content-hashed ``/static/`` names, and the body
goes out through ``wsgi.file_wrapper`` (sendfile in gunicorn).
"""

from __future__ import annotations

import mimetypes
import os
import re
import stat
from collections.abc import Callable, Iterable
from email.utils import formatdate
from pathlib import Path

from django.conf import settings
from django.utils.http import parse_http_date_safe

from . import maintenance

# URL prefixes that are always dynamic (config/urls.py). Every other path is
# looked up in the publish root first. /documents/ and /media/ are file-first:
# a document or image used by a live page is copied into the root; the rest
# (drafts in the admin, previews) is Django's.
DYNAMIC_PREFIXES = ("/admin/", "/api/", "/search/", "/_util/")
FILE_FIRST_PREFIXES = ("/documents/", "/media/")
# Issue 14 item 2: of /media/ only image renditions are ever public (a live page's
# published copy, or the app's answer after its check); a file under any other
# /media/ path is not answered from the root even if one got there, and the app
# refuses it (uploads, originals, workbooks, evidence, the publication archive).
MEDIA_PUBLIC_PREFIX = "/media/images/"

# Static names carry a content hash (ManifestStaticFilesStorage: name.<12 hex>.ext).
HASHED_STATIC = re.compile(r"^/static/.+\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_HTML = "no-cache"  # revalidate: a publish changes the page (ETag answers with 304)
CACHE_OTHER = "public, max-age=3600"
BLOCK_SIZE = 64 * 1024

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".ofd": "application/ofd",
    ".wps": "application/vnd.ms-works",
}

StartResponse = Callable[..., object]
WSGIApp = Callable[[dict, StartResponse], Iterable[bytes]]


def security_headers(*, secure: bool) -> list[tuple[str, str]]:
    """What Django's SecurityMiddleware and XFrameOptionsMiddleware add to a
    page (config/settings.py: 网络安全管理办法 / 等保三级 transport and framing)."""
    headers = []
    if getattr(settings, "CSP_PUBLIC", ""):  # as ggzy.core.csp sends on the public site
        headers.append(("Content-Security-Policy", settings.CSP_PUBLIC))
    if getattr(settings, "X_FRAME_OPTIONS", ""):
        headers.append(("X-Frame-Options", settings.X_FRAME_OPTIONS))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        policy = settings.SECURE_REFERRER_POLICY
        headers.append(("Referrer-Policy", policy if isinstance(policy, str) else ",".join(policy)))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    if secure and settings.SECURE_HSTS_SECONDS:
        value = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            value += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            value += "; preload"
        headers.append(("Strict-Transport-Security", value))
    return headers


def content_type(name: str) -> str:
    suffix = os.path.splitext(name)[1].lower()
    if suffix in TYPES:
        return TYPES[suffix]
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def cache_control(path: str, name: str) -> str:
    if HASHED_STATIC.match(path):
        return CACHE_IMMUTABLE
    if name.endswith(".html"):
        return CACHE_HTML
    return CACHE_OTHER


def etag_of(st: os.stat_result) -> str:
    """Like nginx: modification time and size in hex (both change on every write)."""
    return f'"{int(st.st_mtime):x}-{st.st_size:x}"'


def _not_modified(environ: dict, etag: str, mtime: int) -> bool:
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        tags = {t.strip().removeprefix("W/") for t in match.split(",")}
        return "*" in tags or etag in tags
    # Django's parser: the three HTTP date formats, always GMT; None for anything else.
    since = parse_http_date_safe(environ.get("HTTP_IF_MODIFIED_SINCE") or "")
    return since is not None and since >= mtime


class Refused(Exception):
    """A path that may not be looked up at all (traversal)."""


class PublishedSite:
    """WSGI middleware: published files first, then the Django application."""

    def __init__(self, app: WSGIApp, *, root: Path | str | None = None):
        self.app = app
        self.root = os.path.realpath(root if root is not None else settings.PUBLISH_ROOT)
        self.ssl_redirect = settings.SECURE_SSL_REDIRECT
        self.proxy_ssl_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        self.headers = {secure: security_headers(secure=secure) for secure in (False, True)}

    # -- deciding

    def _secure(self, environ: dict) -> bool:
        if environ.get("wsgi.url_scheme") == "https":
            return True
        if self.proxy_ssl_header:
            header, value = self.proxy_ssl_header
            return environ.get(header, "").split(",")[0].strip() == value
        return False

    def file_for(self, environ: dict) -> str | None:
        """The published file answering this request, or None to hand it to Django.
        Raises Refused for a path that tries to leave the root."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        # WSGI gives the percent-decoded path as latin-1 text of the raw bytes.
        raw = environ.get("PATH_INFO", "") or "/"
        try:
            path = raw.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return None
        if "\x00" in path or "\\" in path:
            raise Refused(path)
        segments = path.split("/")
        if ".." in segments or "." in segments:
            raise Refused(path)
        if not path.startswith("/") or path.startswith(DYNAMIC_PREFIXES):
            return None
        if maintenance.applies_to(path):
            return None  # 应急预案 第六条(一): the site is down; Django answers 503 with the page
        if path.startswith("/media/") and not path.startswith(MEDIA_PUBLIC_PREFIX):
            return None
        if any(s.startswith(".") for s in segments):
            return None  # hidden names: temp files of an atomic write, never public
        is_page = path.endswith("/")
        if is_page and environ.get("QUERY_STRING"):
            return None  # a filtered or paginated listing: rendered by the app
        if self.ssl_redirect and not self._secure(environ):
            return None  # Django redirects to HTTPS
        relative = path.strip("/") + ("/index.html" if is_page and path != "/" else "")
        candidate = os.path.join(self.root, relative or "index.html")
        # No symlink anywhere on the way, and nothing outside the root.
        if os.path.realpath(candidate) != candidate or not candidate.startswith(self.root + os.sep):
            return None
        return candidate

    # -- answering

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        try:
            candidate = self.file_for(environ)
        except Refused:
            body = b"Bad Request"
            start_response(
                "400 Bad Request",
                [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
            )
            return [body]
        if candidate is None:
            return self.app(environ, start_response)
        try:
            fd = os.open(candidate, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:  # absent, a directory without a slash, or a symlink: the app decides
            return self.app(environ, start_response)
        handle = os.fdopen(fd, "rb")
        try:
            st = os.fstat(fd)  # the file opened, not a name that may be replaced meanwhile
            if not stat.S_ISREG(st.st_mode):
                handle.close()
                return self.app(environ, start_response)
            return self._respond(environ, start_response, handle, st, candidate)
        except BaseException:
            handle.close()
            raise

    def _respond(self, environ, start_response, handle, st, candidate) -> Iterable[bytes]:
        etag = etag_of(st)
        mtime = int(st.st_mtime)
        headers = [
            ("ETag", etag),
            ("Last-Modified", formatdate(mtime, usegmt=True)),
            ("Cache-Control", cache_control(environ.get("PATH_INFO", ""), candidate)),
            *self.headers[self._secure(environ)],
        ]
        if _not_modified(environ, etag, mtime):
            handle.close()
            start_response("304 Not Modified", headers)
            return []
        headers += [("Content-Type", content_type(candidate)), ("Content-Length", str(st.st_size))]
        start_response("200 OK", headers)
        if environ["REQUEST_METHOD"] == "HEAD":
            handle.close()
            return []
        wrapper = environ.get("wsgi.file_wrapper")
        if wrapper is not None:
            return wrapper(handle, BLOCK_SIZE)
        return _chunks(handle)


def _chunks(handle) -> Iterable[bytes]:
    with handle:
        while chunk := handle.read(BLOCK_SIZE):
            yield chunk


def published_site(app: WSGIApp) -> WSGIApp:
    """config/wsgi.py: the file layer in front of Django unless GGZY_SERVE_PUBLISHED is off
    (behind nginx, which serves the root itself, the layer is not needed but harmless)."""
    if not getattr(settings, "GGZY_SERVE_PUBLISHED", True):
        return app
    return PublishedSite(app)
