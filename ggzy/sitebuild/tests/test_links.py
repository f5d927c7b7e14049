"""The broken-link check of the published site (政府网站检查指标 不可用链接; the home page's
a veto): internal targets resolved as the web server does, dynamic paths and external
links left alone, each broken link named with its page; recorded, audited, and read by
the live check."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from ggzy.audit.models import AuditEvent
from ggzy.compliance.registry import all_checks, run_check
from ggzy.portal.tests.factories import column, publish_article
from ggzy.sitebuild import services
from ggzy.sitebuild.links import check_links, link_check_run
from ggzy.sitebuild.models import LinkCheck

pytestmark = pytest.mark.django_db


def test_broken_internal_links_are_named_with_their_page(settings):
    target = publish_article(column("jyxx/jsgc/zbgg"), "道路改造工程招标公告", slug="road")
    body = (
        f'<p><a href="{target.url}">有效</a> <a href="/zwgk/no-such-page/">失效</a>'
        ' <a href="/search/?q=道路">搜索</a> <a href="https://www.gov.cn/">外部</a>'
        ' <a href="mailto:ggzy@example.org">邮件</a> <a href="#top">本页</a>'
        ' <a href="../../missing.pdf">相对失效</a></p>'
    )
    page = publish_article(column("zytz"), "关于链接的通知", body=body, slug="links")
    services.site_build()
    report = check_links()
    broken = {t for _p, t in report.broken}
    assert broken == {"/zwgk/no-such-page/", "../../missing.pdf"}
    assert {p for p, _t in report.broken} == {page.url.strip("/") + "/index.html"}
    assert report.home_broken == 0 and report.pages > 3 and report.links >= 3


def test_the_command_records_audits_and_fails_then_the_check_reads_it(settings):
    check = all_checks()["sitebuild.no_broken_links"]
    assert run_check(check, today=timezone.localdate()).status == "no_data"
    publish_article(column("zytz"), "通知", body='<p><a href="/gone/">失效</a></p>', slug="n1")
    services.site_build()
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 broken internal link"):
        call_command("check_links", stdout=out)
    assert "zytz/n1/index.html: /gone/" in out.getvalue()
    record = LinkCheck.objects.get()
    assert record.broken_count == 1 and record.broken == [["zytz/n1/index.html", "/gone/"]]
    assert AuditEvent.objects.filter(action="sitebuild.links.checked").exists()
    result = run_check(check, today=timezone.localdate())
    assert result.status == "failing" and "/gone/" in result.detail
    with time_machine.travel(timezone.now() + dt.timedelta(days=3), tick=False):
        assert run_check(check, today=timezone.localdate()).status == "overdue"


def test_a_broken_link_on_the_home_page_is_the_veto(settings):
    publish_article(column("zytz"), "通知", slug="n2")
    services.site_build()
    home = settings.PUBLISH_ROOT / "index.html"
    # The check reads the files the manifest lists, as they are on disk.
    text = home.read_text(encoding="utf-8").replace("</main>", '<a href="/nowhere/">x</a></main>', 1)
    home.write_text(text, encoding="utf-8")
    assert check_links().home_broken == 1
    link_check_run()
    result = run_check(all_checks()["sitebuild.no_broken_links"], today=timezone.localdate())
    assert result.status == "failing" and "单项否决" in result.detail
