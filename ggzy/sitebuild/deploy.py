"""The production nginx configuration (deploy/) rendered for a local run: the
tests check it (``nginx -t``, nginx serving a built root and proxying to a live
app) and the site bench measures it, with the same files that ship."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DEPLOY_DIR = Path(settings.BASE_DIR) / "deploy"
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
# The example values of the shipped files, replaced when rendering.
SHIPPED_ROOT = "/srv/ggzy/var/site"
SHIPPED_MAINTENANCE = "/srv/ggzy/var/maintenance"
SHIPPED_SCREENS = "/srv/ggzy/var/screens/"  # SCREENS_ROOT (alias: with the slash)
SHIPPED_BEAT_LOG = "/srv/ggzy/var/log/screens-access.log"  # SCREENS_BEAT_LOG
SHIPPED_LOCATIONS = "/srv/ggzy/deploy/nginx-locations.conf"
SHIPPED_UPSTREAM = "127.0.0.1:8000"
SHIPPED_ADMIN_ALLOW = "allow 10.20.0.0/16;"
SHIPPED_CERT = "/etc/ssl/ggzy/fullchain.pem"
SHIPPED_KEY = "/etc/ssl/ggzy/privkey.pem"


class NginxMissing(RuntimeError):
    pass


def nginx_binary() -> str:
    if not (os.path.isfile(NGINX) and os.access(NGINX, os.X_OK)):
        raise NginxMissing(
            f"{NGINX} is missing: install Debian's nginx (make nginx, or sudo apt-get install nginx); "
            "the deploy tests and the site bench need it and are never skipped"
        )
    return NGINX


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    # Fixed arguments and paths of our own temp directory (no untrusted input).
    subprocess.run(  # noqa: S603
        [
            shutil.which("openssl") or "/usr/bin/openssl",
            *("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@dataclass
class Rendered:
    main: Path  # a complete nginx.conf to run with ``nginx -c``
    directory: Path


def render_locations(
    *,
    root: Path,
    admin_allow: list[str] | None = None,
    maintenance: Path | None = None,
    screens_root: Path | None = None,
    beat_log: Path | None = None,
) -> str:
    """deploy/nginx-locations.conf with a local publish root, maintenance page
    directory, screens' root and heartbeat log (settings by default)."""
    text = (DEPLOY_DIR / "nginx-locations.conf").read_text()
    text = text.replace(SHIPPED_ROOT, str(root))
    text = text.replace(SHIPPED_MAINTENANCE, str(maintenance or settings.SITE_MAINTENANCE_DIR))
    screens = Path(screens_root or settings.SCREENS_ROOT).absolute()
    text = text.replace(SHIPPED_SCREENS, f"{screens}/")
    text = text.replace(SHIPPED_BEAT_LOG, str(Path(beat_log or settings.SCREENS_BEAT_LOG).absolute()))
    if admin_allow is not None:  # replace the whole allow list (loopback included)
        lines = [line for line in text.splitlines() if not line.strip().startswith("allow ")]
        marker = next(i for i, line in enumerate(lines) if line.strip() == "deny all;")
        lines[marker:marker] = [f"    allow {cidr};" for cidr in admin_allow]
        text = "\n".join(lines) + "\n"
    return text


def render_site(
    directory: Path,
    *,
    root: Path,
    upstream: str,
    http_port: int,
    https_port: int | None = None,
    admin_allow: list[str] | None = None,
    extra_servers: str = "",
    screens_root: Path | None = None,
    beat_log: Path | None = None,
) -> Rendered:
    """A runnable nginx configuration in ``directory``: the shipped nginx.conf
    (upstream, maps, the screens' log format, gzip; its TLS server on ``https_port``
    with a self-signed certificate, or dropped) plus a plain-HTTP server on
    ``http_port`` with the shipped locations (what the tests and the bench load).
    ``/screens/`` serves ``screens_root`` and writes the heartbeat to ``beat_log``
    (SCREENS_ROOT and SCREENS_BEAT_LOG by default)."""
    directory.mkdir(parents=True, exist_ok=True)
    beat_log = Path(beat_log or settings.SCREENS_BEAT_LOG)
    beat_log.parent.mkdir(parents=True, exist_ok=True)  # nginx opens it at start-up
    locations = directory / "nginx-locations.conf"
    locations.write_text(
        render_locations(root=root, admin_allow=admin_allow, screens_root=screens_root, beat_log=beat_log)
    )
    site = (DEPLOY_DIR / "nginx.conf").read_text()
    site = site.replace(SHIPPED_LOCATIONS, str(locations)).replace(SHIPPED_UPSTREAM, upstream)
    site = site.replace("listen [::]:80;", "").replace("listen [::]:443 ssl http2;", "")
    # The redirecting port-80 server is replaced by the plain-HTTP test server.
    site = site.replace("listen 80;", f"listen 127.0.0.1:{free_port()};")
    if https_port is not None:
        cert, key = self_signed_certificate(directory)
        site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
        site = site.replace(SHIPPED_CERT, str(cert)).replace(SHIPPED_KEY, str(key))
    else:
        site = site[: site.rindex("server {")]  # drop the TLS server
    (directory / "ggzy.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read a root-owned tmp dir
    temp = directory / "temp"
    temp.mkdir(exist_ok=True)
    main = directory / "main.conf"
    main.write_text(
        f"""{user}worker_processes auto;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {directory}/ggzy.conf;
    server {{
        listen 127.0.0.1:{http_port};
        server_name _;
        include {locations};
    }}
{extra_servers}
}}
"""
    )
    return Rendered(main=main, directory=directory)


def nginx_test(rendered: Rendered) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our nginx binary and rendered files)
        [nginx_binary(), "-t", "-c", str(rendered.main), "-p", str(rendered.directory)],
        capture_output=True,
        text=True,
    )


@contextlib.contextmanager
def nginx_running(rendered: Rendered, *ports: int) -> Iterator[None]:
    """Run nginx in the foreground of a child process; always stopped."""
    process = subprocess.Popen(  # noqa: S603 (our nginx binary and rendered files)
        [nginx_binary(), "-c", str(rendered.main), "-p", str(rendered.directory), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for port in ports:
            try:
                wait_for_port(port)
            except RuntimeError:
                process.poll()
                error = (rendered.directory / "error.log").read_text() if process.returncode else ""
                raise RuntimeError(f"nginx did not start: {error}") from None
        yield
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful stop
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


def plain_copy(source: Path, target: Path) -> None:
    """A plain copy of a publish root (the bench's nginx baseline)."""
    shutil.copytree(source, target, symlinks=False, dirs_exist_ok=True)
