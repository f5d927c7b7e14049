"""Shared pytest fixtures: the center's data loaded once per test database,
users in roles, and Debian's Chromium driven by Playwright."""

import os

import pytest
from django.db import connections

from ggzy.center.services import load_center_data, setup_center


def pytest_configure(config):
    # The audit sweep's findings of this run (workers inherit the directory).
    if not hasattr(config, "workerinput"):
        import shutil
        import tempfile

        os.environ["GGZY_AUDIT_SWEEP_DIR"] = tempfile.mkdtemp(prefix="ggzy-audit-sweep-")
        config.add_cleanup(lambda: shutil.rmtree(os.environ["GGZY_AUDIT_SWEEP_DIR"], ignore_errors=True))


def pytest_sessionfinish(session, exitstatus):
    """Issue 14's audit sweep: an admin POST that wrote without an audit event
    fails the run (ggzy/center/tests/audit_sweep.py)."""
    if hasattr(session.config, "workerinput"):
        return
    from ggzy.center.tests.audit_sweep import findings

    found = findings()
    if found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.section("audit sweep: admin POSTs that wrote without an audit event", red=True)
        for row in {(f["path"], tuple(f["tables"]), f["status"]): f for f in found}.values():
            reporter.line(f"{row['path']} ({row['status']}) wrote {', '.join(row['tables'])} — {row['test']}")
        session.exitstatus = 1


@pytest.fixture(scope="session", autouse=True)
def _audit_sweep():
    from django.conf import settings
    from django.test import override_settings

    with override_settings(
        MIDDLEWARE=[*settings.MIDDLEWARE, "ggzy.center.tests.audit_sweep.AuditSweepMiddleware"]
    ):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing cost is not under test; PBKDF2's 1M rounds would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploaded and archived files of a test stay in its own temporary directory.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _publish_root(settings, tmp_path):
    # Static publishing of a test writes into its own temporary directory.
    settings.PUBLISH_ROOT = tmp_path / "site"
    settings.SITE_MANIFEST_PATH = tmp_path / "site-manifest.sqlite3"
    settings.SITE_MAINTENANCE_DIR = tmp_path / "maintenance"
    # The hall's screens (ggzy.screens) likewise, and their heartbeat log.
    settings.SCREENS_ROOT = tmp_path / "screens"
    settings.SCREENS_BEAT_LOG = tmp_path / "screens-access.log"


@pytest.fixture(scope="session")
def center_data():
    return load_center_data()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, center_data):
    """Load the center (columns, departments, roles) into each worker's test
    database once; tests roll back to this state."""
    with django_db_blocker.unblock():
        setup_center(data=center_data, create_admin=False)


@pytest.fixture
def center(db, center_data):
    """The center's data, present in this test (idempotent re-load after a
    transactional test flushed the database)."""
    setup_center(data=center_data, create_admin=False)
    from ggzy.portal.models import HomePage

    return HomePage.objects.get()


@pytest.fixture
def browser():
    """Headless Debian Chromium (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(executable):
        pytest.fail(f"{executable} is missing: install Debian's chromium (make test does this)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # test makes around it are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield instance
        finally:
            instance.close()
            # The ORM connections the test opened while Playwright's loop ran in
            # this thread live in that loop's context: close them here, or the
            # test database cannot be dropped at the end of the session.
            connections.close_all()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _tab(browser):
    """A tab in a browser context of its own (its own cookies), zh-CN."""
    context = browser.new_context(locale="zh-CN")
    tab = context.new_page()
    tab.set_default_timeout(15000)
    # Assertions wait as long as actions do: on a loaded 2-core machine a
    # workflow modal's submit and reload took over expect()'s default 5 s.
    from playwright.sync_api import expect

    expect.set_options(timeout=15000)
    yield tab
    context.close()


@pytest.fixture
def page(browser):
    yield from _tab(browser)


@pytest.fixture
def other_page(browser):
    """A second person's (or the same person's second) browser."""
    yield from _tab(browser)


@pytest.fixture(scope="session", autouse=True)
def _flush_is_an_audit_purge():
    """Transactional tests empty the database with `flush`; audit events are
    guarded by triggers against deletion, so flush runs as a purge would."""
    from django.core.management.commands import flush

    from ggzy.audit.guard import allow_purge

    original = flush.Command.handle

    def handle(self, *args, **options):
        with allow_purge():
            return original(self, *args, **options)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original
