"""The project view's address: every notice of one project code on one page
(``/xm/<project code>/``), written by the static build beside the notices."""

from urllib.parse import quote

PROJECT_PREFIX = "xm"


def project_url(code: str) -> str:
    """``/xm/JZ2026-0001/``; a code with other characters is percent-encoded as a
    browser sends it (the static file is under the decoded name, as nginx looks it up)."""
    return f"/{PROJECT_PREFIX}/{quote(code, safe='')}/"
