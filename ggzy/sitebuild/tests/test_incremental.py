"""Exact incremental updates (issue 8): a publish, an unpublish or a move writes
exactly the files whose bytes change, and archive pages stay as they are."""

import pytest

from ggzy.portal.tests.factories import column, publish_article
from ggzy.sitebuild import services
from ggzy.sitebuild.manifest import load_manifest

from .helpers import build, file_of, files, snapshot

pytestmark = pytest.mark.django_db

BIDDING = ("jyxx/jsgc/zbgg", "jyxx/jsgc", "jyxx")  # 招标公告 and the columns above it


def column_files(paths, *names):
    return [f"{c}/{n}" for c in paths for n in names]


@pytest.fixture
def bidding(settings):
    """招标公告 with 7 articles at 2 a page: front page = 6, 5; archive pages
    1 = (1, 0), 2 = (3, 2), 3 = (5, 4), 4 = (6) — the same in the columns above."""
    settings.GGZY_PAGE_SIZE = 2
    page = column("jyxx/jsgc/zbgg")
    articles = [publish_article(page, f"招标公告{i}") for i in range(7)]
    build()
    return page, articles


def test_publishing_rewrites_the_front_and_newest_archive_page_only(
    root, bidding, written, removed, django_capture_on_commit_callbacks
):
    before = snapshot(root)
    written.clear()

    with django_capture_on_commit_callbacks(execute=True):
        article = publish_article(bidding[0], "招标公告7")

    assert sorted(written) == sorted(
        [
            file_of(article.url),
            *column_files(BIDDING, "index.html", "page/4/index.html", "rss.xml"),
            "index.html",
            "sitemap-1.xml",
        ]
    )
    assert removed == []
    after = snapshot(root)
    for number in (1, 2, 3):  # archive pages 1..k-1 stay byte-identical
        for path in column_files(BIDDING, f"page/{number}/index.html"):
            assert after[path] == before[path], path
    newest = after["jyxx/jsgc/zbgg/page/4/index.html"].decode()
    assert "招标公告7" in newest and "招标公告6" in newest
    assert services.site_verify().intact


def test_a_new_archive_page_also_rewrites_the_one_before_it(
    root, bidding, written, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_article(bidding[0], "招标公告7")  # archive page 4 is full now
    written.clear()

    with django_capture_on_commit_callbacks(execute=True):
        article = publish_article(bidding[0], "招标公告8")

    # Page 4 only changes its "newer" link (now page 5, before the front page).
    assert sorted(written) == sorted(
        [
            file_of(article.url),
            *column_files(BIDDING, "index.html", "page/4/index.html", "page/5/index.html", "rss.xml"),
            "index.html",
            "sitemap-1.xml",
        ]
    )
    assert (
        'href="/jyxx/jsgc/zbgg/page/5/" rel="prev"' in (root / "jyxx/jsgc/zbgg/page/4/index.html").read_text()
    )
    assert services.site_verify().intact


def test_unpublishing_an_old_item_shifts_the_later_archive_pages_and_removes_its_files(
    root, bidding, written, removed, django_capture_on_commit_callbacks
):
    oldest = bidding[1][0]
    oldest_file = file_of(oldest.url)
    before = snapshot(root)
    written.clear()

    with django_capture_on_commit_callbacks(execute=True):
        oldest.unpublish()

    # 6 items now: pages 1..3 shift by one item, page 4 goes, the front page keeps
    # its items but its links change (3 archive pages); the feeds lose it. The
    # home page's 交易信息 tab lists the newest eight, the oldest among them: it changes.
    assert sorted(written) == sorted(
        [
            *column_files(BIDDING, "index.html", *[f"page/{n}/index.html" for n in (1, 2, 3)], "rss.xml"),
            "index.html",
            "sitemap-1.xml",
        ]
    )
    assert sorted(removed) == sorted([oldest_file, *column_files(BIDDING, "page/4/index.html")])
    assert not (root / oldest_file).exists()
    assert not (root / "jyxx/jsgc/zbgg/page/4").exists()
    assert "招标公告0" not in (root / "jyxx/jsgc/zbgg/page/1/index.html").read_text()
    assert "招标公告0" in before["index.html"].decode()
    assert "招标公告0" not in snapshot(root)["index.html"].decode()
    assert set(load_manifest(root)) == files(root)
    assert services.site_verify().intact


def test_editing_a_live_item_rewrites_its_page_and_only_its_archive_page(
    root, bidding, written, removed, django_capture_on_commit_callbacks
):
    old = bidding[1][2]  # on archive page 2, not on the front page
    written.clear()

    with django_capture_on_commit_callbacks(execute=True):
        old.title = "招标公告2（更正）"
        old.save_revision().publish()

    # The home page lists the newest six of 交易信息, this one among them; the
    # sitemap's lastmod is a day, the same day.
    assert sorted(written) == sorted(
        [file_of(old.url), *column_files(BIDDING, "page/2/index.html", "rss.xml"), "index.html"]
    )
    assert removed == []
    assert "招标公告2（更正）" in (root / "jyxx/jsgc/zbgg/page/2/index.html").read_text()


def test_moving_an_item_rewrites_both_branches_and_removes_its_old_file(
    root, written, removed, django_capture_on_commit_callbacks
):
    bidding, procurement = column("jyxx/jsgc/zbgg"), column("jyxx/zfcg/cggg")
    article = publish_article(bidding, "移动的公告")
    old_file = file_of(article.url)
    build()
    written.clear()

    with django_capture_on_commit_callbacks(execute=True):
        article.move(procurement, pos="last-child")

    article.refresh_from_db()
    lost, gained = ("jyxx/jsgc/zbgg", "jyxx/jsgc"), ("jyxx/zfcg/cggg", "jyxx/zfcg")
    # 交易信息 lists it in both places: only its link changes (front page and feed).
    assert sorted(written) == sorted(
        [
            file_of(article.url),
            *column_files([*lost, *gained, "jyxx"], "index.html", "rss.xml"),
            "index.html",
            "sitemap-1.xml",
        ]
    )
    assert removed == [old_file]
    assert "移动的公告" not in (root / "jyxx/jsgc/zbgg/index.html").read_text()
    assert "移动的公告" in (root / "jyxx/zfcg/cggg/index.html").read_text()
    assert services.site_verify().intact


def test_a_deleted_item_leaves_with_its_files(root, bidding, removed, django_capture_on_commit_callbacks):
    newest = bidding[1][-1]
    newest_file = file_of(newest.url)
    with django_capture_on_commit_callbacks(execute=True):
        newest.delete()
    assert newest_file in removed and not (root / newest_file).exists()
    assert "招标公告6" not in (root / "jyxx/jsgc/zbgg/index.html").read_text()
    assert services.site_verify().intact


def test_the_home_page_alone_is_rerendered_on_request(root, written):
    build()
    written.clear()
    from wagtail.models import Site

    home = Site.objects.get(is_default_site=True).root_page.specific
    type(home).objects.filter(pk=home.pk).update(intro="系统维护期间暂停交易服务。")

    result = services.site_home_changed()

    assert written == ["index.html"] and result.written == ["index.html"]
    assert "系统维护期间暂停交易服务" in (root / "index.html").read_text()
    assert services.site_verify().intact
    assert services.site_home_changed().written == []  # unchanged bytes are not written
