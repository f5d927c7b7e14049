"""The signed manifest (网页防篡改, 网络信息安全故障应急预案 第六条): whoever can
change its file without the key is found out, an update never re-signs a forged
entry, and one publish reads a handful of its buckets, not all of them."""

import io
import sqlite3
from contextlib import closing
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from wagtail.models import Site

from ggzy.portal.tests.factories import column, publish_article
from ggzy.sitebuild import manifest as manifest_module
from ggzy.sitebuild.manifest import BUCKETS, ManifestError, load_manifest, open_manifest
from ggzy.sitebuild.services import site_page_changed, site_verify

from .bulk import bulk_articles

pytestmark = pytest.mark.django_db


def tamper(sql: str, *params) -> None:
    with closing(sqlite3.connect(settings.SITE_MANIFEST_PATH)) as db, db:
        db.execute(sql, params)


@pytest.fixture
def article():
    page = publish_article(column("jyxx/jsgc/zbgg"), "道路改造工程招标公告")
    call_command("build_site", stdout=io.StringIO())
    return page


def test_an_entry_deleted_without_the_key_is_found(article):
    # Deleting the entry and the file together would hide the page from a plain
    # comparison of files and entries: the bucket's digest no longer matches.
    tamper("DELETE FROM entry WHERE source = ?", f"page:{article.pk}:0")
    report = site_verify()
    assert not report.intact and "signature does not match" in report.manifest_error


def test_a_changed_bucket_digest_or_signature_fails_on_opening(article):
    tamper("UPDATE bucket SET digest = ? WHERE id = 7", b"\0" * 32)
    with pytest.raises(ManifestError, match="signature does not match"):
        open_manifest(settings.PUBLISH_ROOT)
    call_command("build_site", stdout=io.StringIO())
    tamper("UPDATE meta SET value = ? WHERE key = 'generated_at'", "2020-01-01T00:00:00+08:00")
    with pytest.raises(CommandError, match="bad manifest"):
        call_command("verify_site", stdout=io.StringIO())


def test_a_file_that_is_not_a_manifest_is_unreadable(article):
    settings.SITE_MANIFEST_PATH.write_bytes(b"not sqlite at all" * 100)
    report = site_verify()
    assert report.manifest_error.startswith("manifest unreadable")


def test_an_update_never_re_signs_a_forged_entry(article):
    tamper("UPDATE entry SET sha256 = ? WHERE source = ?", "0" * 64, f"page:{article.pk}:0")
    article.title = "道路改造工程招标公告（更正）"
    article.save_revision().publish()  # the test settings let a test publish directly

    result = site_page_changed(page_id=article.pk, page_path=article.path)

    assert result.skipped.startswith("manifest signature does not match")
    assert "signature does not match" in site_verify().manifest_error  # still caught, not re-signed


def test_the_manifest_lists_exactly_the_published_files(article):
    root = settings.PUBLISH_ROOT
    files = load_manifest(root)
    assert set(files) == {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    home = Site.objects.get(is_default_site=True).root_page_id
    assert files["index.html"]["source"] == f"page:{home}:0"
    assert files["sitemap-1.xml"]["source"] == "sitemap:1"


def test_one_publish_reads_a_few_buckets_not_the_whole_manifest(monkeypatch, settings):
    settings.GGZY_PAGE_SIZE = 5
    bulk_articles(column("jyxx/jsgc/zbgg"), 600)
    call_command("build_site", stdout=io.StringIO())
    entries = len(load_manifest(settings.PUBLISH_ROOT))
    read = []
    digest = manifest_module._bucket_digest
    monkeypatch.setattr(manifest_module, "_bucket_digest", lambda rows: read.append(1) or digest(rows))

    page = publish_article(column("jyxx/jsgc/zbgg"), "新发布的招标公告")
    result = site_page_changed(page_id=page.pk, page_path=page.path)

    assert page_file_written(result.written, page)
    # Buckets checked before reading and re-digested after writing: a few dozen
    # of 4,096, holding a few hundred of the entries (the home page's blocks and the
    # notice lists of issue 20 write a few more files per publish than before).
    assert entries > 1000 and 0 < len(read) < 120 < BUCKETS, (entries, len(read))
    assert site_verify().intact


def page_file_written(written: list[str], page) -> bool:
    return unquote(page.url).strip("/") + "/index.html" in written
