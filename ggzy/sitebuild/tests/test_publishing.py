"""build_site and the incremental updates after publish/unpublish."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from ggzy.portal.models import ColumnPolicy
from ggzy.portal.services import column_policy_update
from ggzy.portal.tests.factories import applied_layout, column, publish_article
from ggzy.sitebuild import services
from ggzy.sitebuild.manifest import load_manifest

from .helpers import build, file_of, files

pytestmark = pytest.mark.django_db


def test_build_site_writes_every_page_with_the_same_html_as_the_dynamic_site(client, root):
    bidding = column("jyxx/jsgc/zbgg")
    first = publish_article(bidding, "道路改造工程招标公告", department="jianshe")
    publish_article(column("zwgk"), "中心简介")

    output = build()

    # site.css and layout.css (the column layouts: no inline style, issue 14 item 13),
    # pages.css, print.css and pages.js (issue 20: the home's tabs, notices, print view),
    # chrome.css, a11y.js and the cursor (the accessibility toolbar);
    # + 网站地图, 无障碍说明, 404.html, 50x.html
    assert "Built 43 pages (43 HTML files, 8 assets)" in output and "pages/s" in output
    for url in ["/", "/jyxx/", "/jyxx/jsgc/zbgg/", first.url, "/zwgk/"]:
        assert (root / file_of(url)).read_bytes() == client.get(url).content, url
    css = settings.BASE_DIR / "ggzy/portal/static/portal/site.css"
    assert (root / "static/portal/site.css").read_bytes() == css.read_bytes()
    manifest = load_manifest(root)
    assert set(manifest) == files(root)
    assert manifest[file_of(first.url)]["source"] == f"page:{first.pk}:0"
    assert manifest["jyxx/jsgc/zbgg/rss.xml"]["source"] == f"feed:{bidding.pk}"
    assert {"sitemap.xml", "sitemap-1.xml"} <= set(manifest)


def test_archive_pages_are_static_paths_numbered_from_the_oldest(client, root, settings):
    settings.GGZY_PAGE_SIZE = 2
    bidding = column("jyxx/jsgc/zbgg")
    for i in range(5):
        publish_article(bidding, f"招标公告{i}")
    build()

    archives = {"jyxx/jsgc/zbgg/page/1/index.html", "jyxx/jsgc/zbgg/page/2/index.html"}
    assert archives | {"jyxx/jsgc/zbgg/page/3/index.html"} <= files(root)
    assert "jyxx/jsgc/zbgg/page/4/index.html" not in files(root)
    assert "jyxx/page/3/index.html" in files(root)  # the parent column lists them too
    front = (root / "jyxx/jsgc/zbgg/index.html").read_text()
    assert "招标公告4" in front and "招标公告3" in front and "招标公告2" not in front
    assert 'href="/jyxx/jsgc/zbgg/page/2/" rel="next">较早一页' in front
    second = (root / "jyxx/jsgc/zbgg/page/2/index.html").read_text()
    assert "招标公告3" in second and "招标公告2" in second
    assert 'href="/jyxx/jsgc/zbgg/page/3/" rel="prev">较新一页' in second
    assert 'href="/jyxx/jsgc/zbgg/page/1/" rel="next">较早一页' in second
    third = (root / "jyxx/jsgc/zbgg/page/3/index.html").read_text()
    assert 'href="/jyxx/jsgc/zbgg/" rel="prev">较新一页' in third
    # The same list page as the dynamic site's ?page=2, apart from the link style.
    dynamic = client.get("/jyxx/jsgc/zbgg/?page=2").content.decode()
    assert (
        dynamic.replace('href="?page=', 'href="/jyxx/jsgc/zbgg/page/')
        .replace('href="/jyxx/jsgc/zbgg/page/3"', 'href="/jyxx/jsgc/zbgg/page/3/"')
        .replace('href="/jyxx/jsgc/zbgg/page/1"', 'href="/jyxx/jsgc/zbgg/page/1/"')
        .replace('href="/jyxx/jsgc/zbgg/page/2"', 'href="/jyxx/jsgc/zbgg/page/2/"')
        == second
    )


def test_build_site_removes_files_of_pages_no_longer_live(root):
    article = publish_article(column("zwgk"), "旧信息")
    build()
    stray = root / "zwgk/old/index.html"
    stray.parent.mkdir(parents=True)
    stray.write_text("left over")
    article.unpublish()  # no on_commit in this test: only the rebuild sees it

    build()

    assert not (root / file_of(article.url)).exists()
    assert not (root / file_of(article.url)).parent.exists()
    assert not stray.exists() and not stray.parent.exists()
    assert set(load_manifest(root)) == files(root)


def test_build_site_out_writes_elsewhere_with_its_own_manifest(tmp_path):
    out = tmp_path / "elsewhere"
    call_command("build_site", "--out", str(out), stdout=io.StringIO())
    assert (out / "index.html").is_file()
    assert (tmp_path / "elsewhere-manifest.sqlite3").is_file()
    assert "index.html" in load_manifest(out)
    assert not settings.SITE_MANIFEST_PATH.exists()


def test_publishing_rewrites_exactly_the_affected_files(
    client, root, written, django_capture_on_commit_callbacks
):
    bidding = column("jyxx/jsgc/zbgg")
    publish_article(bidding, "第一条公告")
    publish_article(column("zwgk"), "中心简介")
    build()
    written.clear()

    with django_capture_on_commit_callbacks(execute=True):
        article = publish_article(bidding, "第二条公告")

    article_file = file_of(article.url)
    assert sorted(written) == sorted(
        [
            article_file,
            *[f"{c}/{f}" for c in ("jyxx/jsgc/zbgg", "jyxx/jsgc", "jyxx") for f in ("index.html", "rss.xml")],
            "index.html",
            "sitemap-1.xml",
        ]
    )
    for url in ["/", "/jyxx/", "/jyxx/jsgc/", "/jyxx/jsgc/zbgg/", article.url]:
        assert (root / file_of(url)).read_bytes() == client.get(url).content
    assert services.site_verify().intact


def test_unpublishing_removes_the_page_files(client, root, written, django_capture_on_commit_callbacks):
    bidding = column("jyxx/jsgc/zbgg")
    keep = publish_article(bidding, "保留的公告")
    gone = publish_article(bidding, "撤下的公告")
    build()
    gone_dir = (root / file_of(gone.url)).parent
    assert (gone_dir / "index.html").is_file()
    written.clear()

    with django_capture_on_commit_callbacks(execute=True):
        gone.unpublish()

    assert not gone_dir.exists()
    assert "撤下的公告" not in (root / "jyxx/jsgc/zbgg/index.html").read_text()
    assert "保留的公告" in (root / "jyxx/jsgc/zbgg/index.html").read_text()
    assert (root / file_of(keep.url)).is_file()
    assert sorted(written) == sorted(
        [
            *[f"{c}/{f}" for c in ("jyxx/jsgc/zbgg", "jyxx/jsgc", "jyxx") for f in ("index.html", "rss.xml")],
            "index.html",
            "sitemap-1.xml",
        ]
    )
    assert set(load_manifest(root)) == files(root)
    assert services.site_verify().intact


def test_fewer_list_pages_after_unpublishing_removes_the_last_one(
    root, settings, django_capture_on_commit_callbacks
):
    settings.GGZY_PAGE_SIZE = 2
    bidding = column("jyxx/jsgc/zbgg")
    articles = [publish_article(bidding, f"公告{i}") for i in range(3)]
    build()
    assert (root / "jyxx/jsgc/zbgg/page/2/index.html").is_file()
    with django_capture_on_commit_callbacks(execute=True):
        articles[0].unpublish()
    assert not (root / "jyxx/jsgc/zbgg/page").exists()
    assert services.site_verify().intact


def test_nothing_is_written_for_a_rolled_back_publish(root, written, django_capture_on_commit_callbacks):
    build()
    written.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                publish_article(column("zwgk"), "回滚的信息")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == []
    assert written == []


def test_nothing_is_written_before_the_first_build(root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish_article(column("zwgk"), "信息")
    assert not root.exists() or files(root) == set()


def test_column_policy_change_rerenders_the_column_and_its_articles(
    root, written, django_capture_on_commit_callbacks
):
    bidding = column("jyxx/jsgc/zbgg")
    article = publish_article(bidding, "公告")
    publish_article(column("zwgk"), "中心简介")
    build()
    written.clear()

    with django_capture_on_commit_callbacks(execute=True):
        column_policy_update(policy=ColumnPolicy.objects.get(column=bidding), data={"font_size": "小四"})

    assert sorted(written) == sorted(["jyxx/jsgc/zbgg/index.html", file_of(article.url)])
    assert "font-size: 12pt" in applied_layout((root / "jyxx/jsgc/zbgg/index.html").read_text())
    assert services.site_verify().intact


def test_moving_an_article_updates_both_columns(root, django_capture_on_commit_callbacks):
    bidding, procurement = column("jyxx/jsgc/zbgg"), column("jyxx/zfcg/cggg")
    article = publish_article(bidding, "移动的公告")
    build()
    old_file = root / file_of(article.url)

    with django_capture_on_commit_callbacks(execute=True):
        article.move(procurement, pos="last-child")

    article.refresh_from_db()
    assert not old_file.exists()
    assert "移动的公告" in (root / file_of(article.url)).read_text()
    assert "移动的公告" not in (root / "jyxx/jsgc/zbgg/index.html").read_text()
    assert "移动的公告" in (root / "jyxx/zfcg/cggg/index.html").read_text()
    assert services.site_verify().intact


def test_structured_notices_are_published_as_files_like_articles(
    client, root, written, django_capture_on_commit_callbacks
):
    from ggzy.notices.choices import NoticeKind
    from ggzy.notices.tests.factories import publish_notice

    build()
    written.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notice = publish_notice(NoticeKind.CONSTRUCTION_TENDER, title="某道路工程施工招标公告")

    notice_file = file_of(notice.url)
    assert notice_file in written and "jyxx/jsgc/zbgg/rss.xml" in written
    assert (root / notice_file).read_bytes() == client.get(notice.url).content
    assert "某道路工程施工招标公告" in (root / "jyxx/jsgc/index.html").read_text()
    assert services.site_verify().intact


def test_full_build_keeps_change_notice_links_both_ways(client, root):
    """The build reads which notices were changed once for the whole site; the
    original still says it was changed, other notices render as before."""
    from ggzy.notices.choices import NoticeKind
    from ggzy.notices.tests.factories import publish_notice

    original = publish_notice(NoticeKind.PROCUREMENT_TENDER, title="某设备采购公告")
    untouched = publish_notice(NoticeKind.PROCUREMENT_TENDER, title="某服务采购公告")
    change = publish_notice(NoticeKind.PROCUREMENT_CHANGE, changed_notice=original.page_ptr)
    build()
    original_html = (root / file_of(original.url)).read_text()
    assert "本公告已变更" in original_html and change.title in original_html
    assert "本公告已变更" not in (root / file_of(untouched.url)).read_text()
    for page in (original, untouched, change):
        assert (root / file_of(page.url)).read_bytes() == client.get(page.url).content
