"""In Debian's Chromium: the 系统管理员 starts a backup and a restore drill from the
backup screen and sees both succeed; the 审计管理员 reads the same screen without
the buttons."""

import pytest
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.backup import services
from ggzy.backup.models import BackupRun, RestoreDrill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WAIT_MS = 180_000


def test_system_admin_backs_up_and_drills_auditor_reads(
    center, backup_env, empty_database, settings, live_server, page, other_page
):
    settings.BACKUP_DRILL_DATABASE_URL = empty_database()  # used on PostgreSQL only
    services.initialize_repository()
    system = make_user(RoleKey.SYSTEM_ADMIN, username="xitong")
    auditor = make_user(RoleKey.AUDIT_ADMIN, username="shenji")

    browser_login(page, live_server, system)
    page.goto(live_server.url + "/admin/backup/")
    expect(page.locator("#backup-status")).to_contain_text("尚无成功的备份")
    page.locator("#start-backup").click(timeout=WAIT_MS)
    # The POST runs the backup inline (tests run tasks at once): allow a loaded machine its time.
    expect(page.locator(".messages")).to_contain_text("备份已开始", timeout=WAIT_MS)
    run = BackupRun.objects.get()
    expect(page.locator(f"#run-{run.pk}")).to_contain_text("成功")
    expect(page.locator(f"#run-{run.pk}")).to_contain_text(run.snapshot_id)
    expect(page.locator("#backup-status")).to_contain_text(run.snapshot_id)

    page.locator("#start-drill").click(timeout=WAIT_MS)
    expect(page.locator(".messages")).to_contain_text("恢复演练已开始", timeout=WAIT_MS)
    drill = RestoreDrill.objects.get()
    assert drill.status == "succeeded", (drill.error, drill.problems)
    expect(page.locator(f"#drill-{drill.pk}")).to_contain_text("成功")

    browser_login(other_page, live_server, auditor)
    other_page.goto(live_server.url + "/admin/backup/")
    expect(other_page.locator(f"#run-{run.pk}")).to_contain_text(run.snapshot_id)
    expect(other_page.locator("#start-backup")).to_have_count(0)
    expect(other_page.locator("#start-drill")).to_have_count(0)
