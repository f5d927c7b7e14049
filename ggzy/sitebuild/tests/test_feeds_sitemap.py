"""Column RSS feeds, the chunked sitemap, the filter form of static pages and
the triggers that go through tasks (issue 8)."""

import pytest
from defusedxml import ElementTree as ET
from wagtail.models import Site

from ggzy.portal import feeds, sitemaps
from ggzy.portal.tests.factories import column, publish_article
from ggzy.sitebuild import services, tasks

from .helpers import build, file_of

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_each_column_has_an_rss_feed_the_same_as_the_dynamic_one(client, root, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_ITEMS", 2)
    bidding = column("jyxx/jsgc/zbgg")
    for i in range(3):
        publish_article(bidding, f"招标公告{i}", body=f"<p>第{i}条公告的<b>正文</b></p>")
    build()

    static = (root / "jyxx/jsgc/zbgg/rss.xml").read_bytes()
    response = client.get("/jyxx/jsgc/zbgg/rss.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    assert response.content == static
    channel = ET.fromstring(static).find("channel")
    site_root = Site.objects.get(is_default_site=True).root_url
    assert channel.findtext("link") == site_root + bidding.url
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["招标公告2", "招标公告1"]  # newest, at most FEED_ITEMS
    newest = items[0]
    assert newest.findtext("link").startswith(site_root + "/jyxx/jsgc/zbgg/")
    assert newest.findtext("guid") == newest.findtext("link")
    assert newest.findtext("pubDate") and newest.findtext("description") == "第2条公告的正文"
    # Linked from the column page; an empty column's feed is stable (no "now").
    page = (root / "jyxx/jsgc/zbgg/index.html").read_text()
    feed_link = 'type="application/rss+xml" title="招标公告 RSS" href="/jyxx/jsgc/zbgg/rss.xml"'
    assert f'<link rel="alternate" {feed_link}>' in page
    empty = (root / "zlxz/bgxz/rss.xml").read_bytes()
    assert client.get("/zlxz/bgxz/rss.xml").content == empty
    assert client.get("/no/such/column/rss.xml").status_code == 404


def test_sitemap_index_and_stable_chunks(
    client, root, monkeypatch, written, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(sitemaps, "SITEMAP_LIMIT", 20)
    bidding = column("jyxx/jsgc/zbgg")
    publish_article(bidding, "招标公告")
    build()  # 36 columns + home + 1 article = 38 pages: chunks of 20, 18

    index = ET.fromstring((root / "sitemap.xml").read_bytes())
    site_root = Site.objects.get(is_default_site=True).root_url
    chunks = [site_root + "/sitemap-1.xml", site_root + "/sitemap-2.xml"]
    assert [e.findtext(f"{SITEMAP}loc") for e in index] == chunks
    second = ET.fromstring((root / "sitemap-2.xml").read_bytes())
    locs = [u.findtext(f"{SITEMAP}loc") for u in second]
    assert len(locs) == 18 and locs[-1].startswith(site_root + "/jyxx/jsgc/zbgg/")
    for name in ("sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"):
        assert client.get("/" + name).content == (root / name).read_bytes(), name
    assert client.get("/sitemap-3.xml").status_code == 404

    written.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish_article(bidding, "又一条招标公告")  # 39 pages: still two chunks
    assert [w for w in written if w.startswith("sitemap")] == ["sitemap-2.xml"]
    written.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish_article(bidding, "第三条招标公告")  # 40
        publish_article(bidding, "第四条招标公告")  # 41: a third chunk
    assert sorted(w for w in written if w.startswith("sitemap")) == [
        "sitemap-2.xml",
        "sitemap-3.xml",
        "sitemap.xml",
    ]
    assert services.site_verify().intact


def test_static_filter_form_submits_to_the_dynamic_column_url(client, root):
    build()
    page = (root / "jyxx/jsgc/index.html").read_text()
    assert 'action="/jyxx/jsgc/"' in page and 'name="project_code"' in page
    assert client.get("/jyxx/jsgc/", {"project_code": "JZ"}).status_code == 200


def test_a_menu_change_queues_a_full_rebuild(root, monkeypatch, django_capture_on_commit_callbacks):
    article = publish_article(column("zwgk"), "中心简介")
    build()
    queued = []
    real = tasks.rebuild_site

    class Recording:  # the task, noting what is enqueued
        def enqueue(self, **kwargs):
            queued.append(kwargs)
            return real.enqueue(**kwargs)

    monkeypatch.setattr(tasks, "rebuild_site", Recording())
    government = column("zwgk")

    with django_capture_on_commit_callbacks(execute=True):
        government.title = "政务信息公开"
        government.save_revision().publish()

    assert queued == [{"root": str(root)}]
    # The immediate backend of the tests ran it: the new menu is on every page.
    assert ">政务信息公开</a>" in (root / file_of(article.url)).read_text()
    assert ">政务信息公开</a>" in (root / "jyxx/jsgc/zbgg/index.html").read_text()
    assert services.site_verify().intact


def test_site_page_changed_on_the_home_page_queues_a_rebuild(root):
    home = Site.objects.get(is_default_site=True).root_page
    before = services.site_page_changed(page_id=home.pk, page_path=home.path)
    assert before.skipped.startswith("manifest missing") and not before.queued  # nothing built yet
    build()
    result = services.site_page_changed(page_id=home.pk, page_path=home.path)
    assert result.queued.startswith("rebuild_site")
