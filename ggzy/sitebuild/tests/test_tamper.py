"""网页防篡改: verify_site finds modified, added and missing files and restores them
(网络信息安全故障应急预案 第六条)."""

import io
import sqlite3
from contextlib import closing
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from ggzy.portal.tests.factories import column, publish_article
from ggzy.sitebuild.models import TamperCheck
from ggzy.sitebuild.tasks import verify_and_restore_site

from .helpers import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings):
    article = publish_article(column("jyxx/jsgc/zbgg"), "道路改造工程招标公告")
    call_command("build_site", stdout=io.StringIO())
    root = settings.PUBLISH_ROOT
    return root, unquote(article.url).strip("/") + "/index.html"


def verify(*args) -> str:
    out = io.StringIO()
    call_command("verify_site", *args, stdout=out)
    return out.getvalue()


def test_intact_site_passes(site):
    # 78: the pages, feeds, sitemaps and both stylesheets (site.css, layout.css)
    assert "Site intact: 88 files match the signed manifest." in verify()
    check = TamperCheck.objects.get()
    assert check.intact and check.files_checked == 88 and not check.restored


def test_modified_added_and_missing_files_are_reported_and_restored(site):
    root, article_file = site
    before = snapshot(root)
    (root / article_file).write_text("<h1>网站已被篡改</h1>", encoding="utf-8")
    (root / "jyxx/evil.html").write_text("<script>alert(1)</script>")
    (root / "jyxx/jsgc/zbgg/index.html").unlink()
    (root / "static/portal/site.css").unlink()
    (root / "static/portal/site.css").symlink_to("/etc/hostname")
    (root / "jyxx/jsgc/zbgg/rss.xml").write_text("<rss>伪造的订阅</rss>", encoding="utf-8")
    (root / "sitemap-1.xml").unlink()

    out = io.StringIO()
    with pytest.raises(CommandError, match="3 modified, 1 added, 2 missing"):
        call_command("verify_site", stdout=out)
    lines = out.getvalue().splitlines()
    assert f"modified: {article_file}" in lines
    assert "modified: static/portal/site.css" in lines
    assert "added: jyxx/evil.html" in lines
    assert "missing: jyxx/jsgc/zbgg/index.html" in lines
    assert "modified: jyxx/jsgc/zbgg/rss.xml" in lines and "missing: sitemap-1.xml" in lines

    output = verify("--restore")
    assert "Restored: 88 files match the signed manifest again." in output
    assert snapshot(root) == before
    assert not (root / "static/portal/site.css").is_symlink()
    assert "Site intact" in verify()
    found, restored, clean = TamperCheck.objects.order_by("pk")
    assert (found.modified_count, found.added_count, found.missing_count) == (3, 1, 2)
    assert not found.intact and not found.restored
    assert "jyxx/evil.html" in restored.added and restored.restored and restored.intact_after_restore
    assert clean.intact


def test_a_forged_manifest_fails_and_restore_rebuilds_from_the_database(site):
    root, article_file = site
    (root / article_file).write_text("forged")
    with closing(sqlite3.connect(settings.SITE_MANIFEST_PATH)) as db, db:
        # the attacker cannot re-sign without the key
        db.execute("UPDATE entry SET sha256 = ?, size = 6 WHERE path = ?", ("0" * 64, article_file))

    out = io.StringIO()
    with pytest.raises(CommandError, match="bad manifest"):
        call_command("verify_site", stdout=out)
    assert "manifest: manifest signature does not match" in out.getvalue()

    assert "Restored" in verify("--restore")
    assert "道路改造工程招标公告" in (root / article_file).read_text()
    assert "Site intact" in verify()


def test_a_missing_manifest_is_a_failure(site):
    settings.SITE_MANIFEST_PATH.unlink()
    with pytest.raises(CommandError, match="bad manifest"):
        call_command("verify_site", stdout=io.StringIO())


def test_periodic_task_restores_and_records(site):
    root, article_file = site
    (root / article_file).unlink()
    result = verify_and_restore_site.call()
    assert result["intact"] is False and result["missing"] == 1 and result["intact_after_restore"] is True
    assert (root / article_file).is_file()
    assert TamperCheck.objects.get(pk=result["check"]).restored
    from ggzy.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="sitebuild.site.tampered")
    assert event.outcome == "failure" and event.extra["missing"] == [str(article_file)]


def test_tamper_check_runs_every_five_minutes():
    assert settings.GGZY_SCHEDULE["ggzy.sitebuild.tasks.verify_and_restore_site"] == "*/5 * * * *"


def test_a_finding_reaches_the_website_and_security_admins_once_per_episode(site, mailoutbox):
    # 网站管理制度 第十八条; 应急预案 第六条 (一): not only a report, an e-mail to a person.
    from ggzy.accounts.choices import RoleKey
    from ggzy.accounts.tests.factories import make_user
    from ggzy.audit.models import AuditEvent

    web = make_user(RoleKey.WEBSITE_ADMIN, email="web@example.org")
    security = make_user(RoleKey.SECURITY_ADMIN, email="sec@example.org")
    make_user(RoleKey.PUBLISHER, email="pub@example.org")
    make_user(RoleKey.SECURITY_ADMIN, email="gone@example.org", is_active=False)
    root, article_file = site
    verify_and_restore_site.call()  # intact: no mail
    assert mailoutbox == []

    (root / article_file).write_text("<h1>篡改</h1>", encoding="utf-8")
    for _ in range(3):  # found at each check while it persists (no restore): one e-mail
        with pytest.raises(CommandError):
            verify()
    (mail,) = mailoutbox
    assert sorted(mail.to) == sorted([web.email, security.email])
    assert "篡改" in mail.subject and "被修改 1 个" in mail.body and "未自动恢复" in mail.body
    assert AuditEvent.objects.filter(action="sitebuild.tamper.alerted").count() == 1

    verify_and_restore_site.call()  # still tampered at this check: restored, same episode
    assert len(mailoutbox) == 1
    verify_and_restore_site.call()  # intact again: the episode ends
    (root / article_file).unlink()
    verify_and_restore_site.call()  # a new finding: a new e-mail
    assert len(mailoutbox) == 2 and "已自动从数据库恢复" in mailoutbox[1].body
