"""The audit sweep (issue 14, "sweeps that stay"): every admin POST that writes
to the database writes the audit trail in the same request.

Installed for the whole test session by the root conftest: a middleware watches
the SQL of each POST to /admin/ and notes the tables it inserted into, updated
or deleted from. A POST that wrote to any table but ``audit_auditevent`` (and
the bookkeeping tables below) without appending an audit event is a finding;
the session fails and lists them. So every admin view that saves outside
Wagtail's own save path (which the audit receivers chain) is tested by every
test that posts to it — the HTTP tests and the Playwright tests alike.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from django.db import connections

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)

# Writes that are not acts to audit: the session, the login's own bookkeeping
# (last login, the TOTP device's last step and throttle: the login and MFA are
# audited by the accounts seam), Wagtail's per-user UI preferences, its
# concurrent-editing presence (who has the editor open) and the preview
# panel's copy of the unsaved form (one row per user and object, replaced on
# every preview; saving the page is what is audited), the task queue.
BOOKKEEPING = {
    "audit_auditevent",
    "django_session",
    "otp_totp_totpdevice",
    "otp_static_staticdevice",
    "wagtailusers_userprofile",
    "wagtailadmin_editingsession",
    "wagtailadmin_formstate",
    "django_tasks_database_dbtaskresult",
}


def _findings_dir() -> Path | None:
    # Set per run by the root conftest (pytest_configure); workers inherit it.
    value = os.environ.get("GGZY_AUDIT_SWEEP_DIR")
    return Path(value) if value else None


def _note(finding: dict) -> None:
    directory = _findings_dir()
    if directory is None:
        return
    directory.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with open(directory / f"{os.getpid()}-{worker}.jsonl", "a", encoding="utf-8") as out:
        out.write(json.dumps(finding, ensure_ascii=False) + "\n")


class AuditSweepMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or not request.path.startswith("/admin/"):
            return self.get_response(request)
        tables: set[str] = set()

        def watch(execute, sql, params, many, context):
            match = WRITE.match(sql)
            if match:
                tables.add(match.group(1).lower())
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(watch):
            response = self.get_response(request)
        written = tables - BOOKKEEPING
        if written and "audit_auditevent" not in tables:
            _note(
                {
                    "path": re.sub(r"/\d+/", "/<id>/", request.path),
                    "tables": sorted(written),
                    "status": response.status_code,
                    "test": os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0],
                }
            )
        return response


def findings() -> list[dict]:
    rows: list[dict] = []
    directory = _findings_dir()
    for path in sorted(directory.glob("*.jsonl")) if directory and directory.exists() else ():
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return rows
