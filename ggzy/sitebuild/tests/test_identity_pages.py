"""The static site and the site identity: 网站地图, 无障碍说明 and the error pages are
published files; saving the identity rebuilds every footer; the sitemap and feeds carry
the real domain (issue 20)."""

import pytest

from ggzy.portal.services import site_identity_update
from ggzy.portal.tests.factories import column, publish_article
from ggzy.sitebuild import services
from ggzy.sitebuild.links import check_links
from ggzy.sitebuild.manifest import load_manifest

from .helpers import build, file_of

pytestmark = pytest.mark.django_db

IDENTITY = {
    "site_name": "焦作市公共资源交易中心",
    "domain": "ggzy.jiaozuo.gov.cn",
    "https": True,
    "sponsor": "焦作市公共资源交易中心",
    "organizer": "焦作市公共资源交易中心信息科",
    "address": "焦作市示范区东海大道",
    "phone": "0391-1234567",
    "email": "ggzy@jiaozuo.gov.cn",
    "site_code": "4108000001",
    "icp_number": "豫ICP备12345678号-1",
    "police_number": "豫公网安备 41080002000001号",
    "police_url": "https://beian.mps.gov.cn/",
    "conac_url": "",
}


def test_build_publishes_sitemap_accessibility_and_error_pages(client, root):
    publish_article(column("zwgk"), "中心简介")
    build()
    manifest = load_manifest(root)
    for number, name in enumerate(["wzdt/index.html", "wza/index.html", "404.html", "50x.html"]):
        assert manifest[name]["source"] == f"special:{number}"
    assert (root / "wzdt/index.html").read_bytes() == client.get("/wzdt/").content
    assert (root / "wza/index.html").read_bytes() == client.get("/wza/").content
    assert "页面不存在（404）" in (root / "404.html").read_text()
    assert "服务暂时不可用" in (root / "50x.html").read_text()
    # the toolbar's script and style and the large cursor are published with the pages
    assert {"static/portal/a11y.js", "static/portal/chrome.css", "static/portal/cursor-large.svg"} <= {
        p.split("?")[0] for p in manifest
    } or any(p.startswith("static/portal/a11y") for p in manifest)
    # every footer and menu link resolves to a published file
    report = check_links(root=root)
    assert report.broken == [], report.broken


def test_saving_identity_rebuilds_every_footer_and_the_sitemap_carries_the_domain(
    root, django_capture_on_commit_callbacks
):
    article = publish_article(column("zwgk"), "中心简介")
    build()
    assert "豫ICP备" not in (root / file_of(article.url)).read_text()

    with django_capture_on_commit_callbacks(execute=True):
        site_identity_update(data=IDENTITY)

    for name in ["index.html", file_of(article.url), "wzdt/index.html", "404.html", "50x.html"]:
        assert "豫ICP备12345678号-1" in (root / name).read_text(), name
    sitemap = (root / "sitemap-1.xml").read_text()
    assert "https://ggzy.jiaozuo.gov.cn/zwgk/" in sitemap and "localhost" not in sitemap
    feed = (root / "zwgk/rss.xml").read_text()
    assert "https://ggzy.jiaozuo.gov.cn/" in feed and "localhost" not in feed
    assert services.site_verify().intact


def test_tampered_special_page_is_restored(root):
    build()
    (root / "wzdt/index.html").write_text("defaced")
    (root / "404.html").unlink()
    result = services.site_check(restore=True)
    assert result.after is not None and result.after.intact
    assert "网站地图" in (root / "wzdt/index.html").read_text()
    assert (root / "404.html").exists()
