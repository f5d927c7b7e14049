"""Issue 20: a broken internal link found at publishing leaves the check as soon as a
later publish fixes it — the page rewritten, or the missing target published — not
at the next nightly crawl; one nobody fixed stays; a page taken down takes its
finding with it."""

import pytest
from django.utils import timezone

from ggzy.compliance.registry import all_checks, run_check
from ggzy.portal.tests.factories import column, publish_article
from ggzy.sitebuild import services
from ggzy.sitebuild.links import link_check_run, open_publish_findings
from ggzy.sitebuild.models import LinkCheck

pytestmark = pytest.mark.django_db


def no_broken_links():
    return run_check(all_checks()["sitebuild.no_broken_links"], today=timezone.localdate())


def newest_publish_check() -> LinkCheck:
    return LinkCheck.objects.filter(scope=LinkCheck.PUBLISH).order_by("-checked_at", "-pk").first()


@pytest.fixture
def crawled(center):
    publish_article(column("zwgk"), "中心简介", slug="intro")
    services.site_build()
    link_check_run()  # the nightly crawl: all good
    assert no_broken_links().status == "met"


def file_of(page) -> str:
    return page.url.strip("/") + "/index.html"


def test_a_later_publish_of_the_page_clears_its_finding(crawled, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_article(column("zytz"), "通知", body='<p><a href="/gone/">失效</a></p>', slug="n1")
    assert no_broken_links().status == "failing"
    assert open_publish_findings() == [(file_of(page), "/gone/")]

    page.body = "<p>已修正</p>"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert newest_publish_check().broken_count == 0
    assert open_publish_findings() == []
    assert no_broken_links().status == "met"  # before any nightly crawl


def test_publishing_the_missing_target_clears_the_finding_of_a_page_not_rewritten(
    crawled, django_capture_on_commit_callbacks
):
    target = f"{column('zwgk').url}later/"
    with django_capture_on_commit_callbacks(execute=True):
        linking = publish_article(
            column("zytz"), "预告", body=f'<p><a href="{target}">稍后发布</a></p>', slug="n2"
        )
    assert open_publish_findings() == [(file_of(linking), target)]

    with django_capture_on_commit_callbacks(execute=True):
        publish_article(column("zwgk"), "稍后发布的信息", slug="later")
    record = newest_publish_check()
    assert record.broken == [] and file_of(linking) not in [p for p, _t in record.broken]
    assert no_broken_links().status == "met"


def test_a_finding_nobody_fixed_stays_through_other_publishes(crawled, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_article(column("zytz"), "通知", body='<p><a href="/gone/">失效</a></p>', slug="n3")
    with django_capture_on_commit_callbacks(execute=True):
        publish_article(column("zwgk"), "无关的信息", slug="other")
    assert newest_publish_check().broken == [[file_of(page), "/gone/"]]
    result = no_broken_links()
    assert result.status == "failing" and "/gone/" in result.detail


def test_a_page_taken_down_takes_its_finding_with_it(crawled, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_article(column("zytz"), "通知", body='<p><a href="/gone/">失效</a></p>', slug="n4")
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert open_publish_findings() == []
    assert no_broken_links().status == "met"
