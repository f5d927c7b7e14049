"""The site taken down to the maintenance page and brought back (应急预案 第六条(一)/(三)):
through Django, the embedded file layer and nginx; audited; refused without a
reason, or while the publish root is not intact."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.core.wsgi import get_wsgi_application

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.audit.models import AuditEvent
from ggzy.portal.tests.factories import column, publish_article
from ggzy.sitebuild import deploy, maintenance, services
from ggzy.sitebuild.incident_actions import site_online, site_takedown
from ggzy.sitebuild.serving import PublishedSite
from ggzy.sitebuild.tests.test_deploy import fetch
from ggzy.sitebuild.tests.test_serving import call, keep_the_test_connection  # noqa: F401 (autouse)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(settings):
    article = publish_article(column("jyxx/jsgc/zbgg"), "道路改造工程招标公告", slug="道路改造工程")
    services.site_build()
    return article


@pytest.fixture
def security():
    return make_user(RoleKey.SECURITY_ADMIN, username="anquan")


def test_down_and_back_through_the_embedded_file_layer(article, security, settings):
    app = PublishedSite(get_wsgi_application(), root=settings.PUBLISH_ROOT)
    assert call(app, article.url).status == 200
    assert maintenance.site_take_down(actor=security, reason="网页被篡改", notice="开标时间另行通知")

    for url in (article.url, "/", "/search/?q=道路", "/jyxx/jsgc/zbgg/?page=2", "/documents/1/x.pdf"):
        response = call(app, url)
        assert response.status == 503, url
        assert "网站维护中" in response.body.decode() and "开标时间另行通知" in response.body.decode()
        assert response.headers["Retry-After"] == "600" and response.headers["Cache-Control"] == "no-store"
        assert "道路改造工程招标公告" not in response.body.decode()
    # The admin (where the incident is worked), the intake API and static assets stay up.
    assert call(app, "/admin/").status == 302
    assert call(app, "/api/v1/openapi.json").status == 200
    assert call(app, "/admin/login/").status == 200
    # The internal reason never reaches the public page.
    assert "网页被篡改" not in call(app, "/").body.decode()
    # Idempotent: a second takedown keeps the page, and says so.
    assert not maintenance.site_take_down(actor=security, reason="再次下线", notice="另一段公告")
    assert "开标时间另行通知" in call(app, "/").body.decode()

    assert maintenance.site_bring_back(actor=security, reason="已恢复", verified_intact=True)
    assert call(app, article.url).status == 200 and call(app, article.url).from_file
    events = list(AuditEvent.objects.filter(action__startswith="sitebuild.site.").order_by("pk"))
    assert [e.action for e in events] == [
        "sitebuild.site.taken_down",
        "sitebuild.site.taken_down",
        "sitebuild.site.brought_back",
    ]
    assert events[0].extra["reason"] == "网页被篡改" and events[0].actor == security
    assert events[1].extra["already_down"] is True


def test_refusals_write_nothing(article, security, settings):
    with pytest.raises(ValidationError, match="请填写下线原因"):
        maintenance.site_take_down(actor=security, reason="  ")
    with pytest.raises(ValidationError, match="不能超过"):
        maintenance.site_take_down(actor=security, reason="x", notice="长" * 501)
    assert not maintenance.is_down() and not AuditEvent.objects.filter(action__startswith="sitebuild.site.")
    maintenance.site_take_down(actor=security, reason="篡改")
    # Not intact: the site stays down (restore from the manifest first).
    with pytest.raises(ValidationError, match="请先从签名清单恢复"):
        maintenance.site_bring_back(actor=security, reason="恢复", verified_intact=False)
    assert maintenance.is_down()


def test_the_playbook_actions_verify_before_coming_back(article, security, settings):
    path = settings.PUBLISH_ROOT / "index.html"
    assert "网站已下线" in site_takedown(incident=None, actor=security, reason="篡改", target="")
    assert "已处于维护状态" in site_takedown(incident=None, actor=security, reason="篡改", target="")
    path.write_text("<h1>hacked</h1>")
    with pytest.raises(ValidationError, match="请先从签名清单恢复"):
        site_online(incident=None, actor=security, reason="恢复", target="")
    assert maintenance.is_down()
    services.site_check(restore=True)
    assert "已恢复对外服务" in site_online(incident=None, actor=security, reason="恢复", target="")
    assert not maintenance.is_down()
    assert "本在对外服务" in site_online(incident=None, actor=security, reason="恢复", target="")


def test_the_tamper_screen_says_the_site_is_down(article, security, client):
    from ggzy.accounts.tests.factories import login_as

    website = make_user(RoleKey.WEBSITE_ADMIN, username="wangzhan")
    login_as(client, website)
    assert "site-down" not in client.get("/admin/site/tamper-checks/").content.decode()
    maintenance.site_take_down(actor=security, reason="篡改")
    assert "处于维护状态" in client.get("/admin/site/tamper-checks/").content.decode()


def test_nginx_answers_the_maintenance_page_and_keeps_the_admin_proxied(
    article, security, settings, tmp_path
):
    http = deploy.free_port()
    rendered = deploy.render_site(
        tmp_path / "nginx", root=settings.PUBLISH_ROOT, upstream="127.0.0.1:9", http_port=http
    )
    base = f"http://127.0.0.1:{http}"
    with deploy.nginx_running(rendered, http):
        assert fetch(base + article.url)[0] == 200
        maintenance.site_take_down(actor=security, reason="篡改", notice="开标时间另行通知")
        for url in (article.url, "/", "/jyxx/jsgc/zbgg/?page=2", "/no/such/"):
            status, headers, body = fetch(base + url)
            assert status == 503 and "开标时间另行通知" in body.decode(), url
            assert headers["Retry-After"] == "600" and headers["Cache-Control"] == "no-store"
        # The admin and the API still go to the app (here: nothing listening, 502).
        assert fetch(base + "/admin/")[0] == 502
        assert fetch(base + "/api/v1/openapi.json")[0] == 502
        maintenance.site_bring_back(actor=security, reason="恢复", verified_intact=True)
        # open_file_cache_valid 1s: nginx sees the page gone within a second, like a publish.
        deadline = time.monotonic() + 5
        while (status := fetch(base + article.url)[0]) == 503 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert status == 200
