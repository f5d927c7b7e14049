import io
from pathlib import Path
from urllib.parse import unquote

from django.core.management import call_command


def build(*args) -> str:
    out = io.StringIO()
    call_command("build_site", *args, stdout=out)
    return out.getvalue()


def file_of(url: str) -> str:
    """The published file of a URL (nginx decodes the path: files have UTF-8 names)."""
    return "/".join([*filter(None, unquote(url).split("/")), "index.html"])


def files(root) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def snapshot(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def deploy_example_environment() -> dict[str, str]:
    """deploy/ggzy.env.example as NAME → value (what the shipped nginx files must agree with)."""
    from django.conf import settings

    lines = (Path(settings.BASE_DIR) / "deploy" / "ggzy.env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
