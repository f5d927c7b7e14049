"""设置 › 网站标识 (site identity): the admin form, the footer and pages that carry it,
Wagtail's Site following the domain, and the live check (网站管理制度 第十五条)."""

import datetime as dt
import re

import pytest
from wagtail.models import Site

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.compliance.registry import all_checks, run_check
from ggzy.portal.models import SiteIdentity
from ggzy.portal.services import site_identity_update
from ggzy.portal.tests.factories import column, publish_article

pytestmark = pytest.mark.django_db

URL = "/admin/site-identity/"
TODAY = dt.date(2026, 12, 4)

IDENTITY = {
    "site_name": "焦作市公共资源交易中心",
    "domain": "ggzy.jiaozuo.gov.cn",
    "https": True,
    "sponsor": "焦作市公共资源交易中心",
    "organizer": "焦作市公共资源交易中心信息科",
    "address": "焦作市示范区东海大道与迎宾路交叉口",
    "phone": "0391-1234567",
    "email": "ggzy@jiaozuo.gov.cn",
    "site_code": "4108000001",
    "icp_number": "豫ICP备12345678号-1",
    "police_number": "豫公网安备 41080002000001号",
    "police_url": "https://beian.mps.gov.cn/#/query/webSearch?code=41080002000001",
    "conac_url": "",
}


def form(**changes):
    data = {**IDENTITY, **changes}
    if not data["https"]:
        data.pop("https")
    return data


def check():
    return run_check(all_checks()["portal.site_identity_complete"], today=TODAY)


# --------------------------------------------------------------------------- the check, per status


def test_check_fails_before_the_identity_is_saved(center):
    result = check()
    assert result.status == "failing"
    assert "网站标识尚未填写" in result.detail


def test_check_fails_naming_each_missing_field(center):
    site_identity_update(data={**IDENTITY, "icp_number": "", "police_url": "", "phone": ""})
    result = check()
    assert result.status == "failing"
    assert (
        "ICP 备案号" in result.detail and "公安机关备案链接" in result.detail and "联系电话" in result.detail
    )


def test_check_fails_when_the_site_hostname_does_not_follow_the_domain(center):
    site_identity_update(data=IDENTITY)
    Site.objects.filter(is_default_site=True).update(hostname="localhost")
    result = check()
    assert result.status == "failing" and "localhost" in result.detail


def test_check_met_when_complete(center):
    site_identity_update(data=IDENTITY)
    result = check()
    assert result.status == "met", result.detail
    assert "豫ICP备12345678号-1" in result.detail


def test_check_is_two_queries(center, django_assert_max_num_queries):
    site_identity_update(data=IDENTITY)
    with django_assert_max_num_queries(2):
        check()


# --------------------------------------------------------------------------- the admin


def test_website_admin_saves_identity_site_follows_audited(client, center):
    user = login_as(client, make_user(RoleKey.WEBSITE_ADMIN))
    assert client.get(URL).status_code == 200
    response = client.post(URL, form(domain="HTTPS://GGZY.Jiaozuo.gov.cn/"))
    assert response.status_code == 302
    identity = SiteIdentity.objects.get()
    assert identity.domain == "ggzy.jiaozuo.gov.cn" and identity.icp_number == "豫ICP备12345678号-1"
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("ggzy.jiaozuo.gov.cn", 443)
    event = AuditEvent.objects.filter(action="portal.site_identity.updated").latest("pk")
    assert event.actor_username == user.username
    assert "icp_number" in str(event.after)


def test_site_port_follows_scheme_and_explicit_port(center):
    site_identity_update(data={**IDENTITY, "https": False})
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == (
        "ggzy.jiaozuo.gov.cn",
        80,
        "http://ggzy.jiaozuo.gov.cn",
    )
    site_identity_update(data={**IDENTITY, "domain": "ggzy.example.cn:8443"})
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("ggzy.example.cn", 8443)


def test_bad_domain_is_refused_in_chinese_and_nothing_is_saved(client, center):
    login_as(client, make_user(RoleKey.WEBSITE_ADMIN))
    response = client.post(URL, form(domain="http://ggzy jiaozuo/路径"))
    assert response.status_code == 200
    assert "请填写网站域名" in response.content.decode()
    assert not SiteIdentity.objects.exists()
    assert Site.objects.get(is_default_site=True).hostname != "ggzy jiaozuo"


def test_bad_email_is_refused(client, center):
    login_as(client, make_user(RoleKey.WEBSITE_ADMIN))
    response = client.post(URL, form(email="不是邮箱"))
    assert response.status_code == 200
    assert not SiteIdentity.objects.exists()


@pytest.mark.parametrize(
    "role", [RoleKey.DRAFTER, RoleKey.SYSTEM_ADMIN, RoleKey.AUDIT_ADMIN, RoleKey.PUBLISHER]
)
def test_other_roles_cannot_edit_identity(client, center, role):
    login_as(client, make_user(role))
    assert client.get(URL).status_code in (302, 403)
    assert client.post(URL, form()).status_code in (302, 403)
    assert not SiteIdentity.objects.exists()


# --------------------------------------------------------------------------- the public pages


def footer(html: str) -> str:
    return html.split('<footer class="site-footer">')[1].split("</footer>")[0]


def test_footer_carries_every_identity_item(client, center):
    site_identity_update(data={**IDENTITY, "conac_url": "https://bszs.conac.cn/sitename?method=show&id=1"})
    article = publish_article(column("zwgk"), "中心简介")
    for url in ["/", "/zwgk/", article.url, "/wzdt/", "/wza/", "/search/?q=中心", "/no-such-page/"]:
        html = client.get(url).content.decode()
        part = footer(html)
        assert "主办单位：焦作市公共资源交易中心" in part, url
        assert "承办单位：焦作市公共资源交易中心信息科" in part
        assert "0391-1234567" in part and 'href="mailto:ggzy@jiaozuo.gov.cn"' in part
        assert "网站标识码：4108000001" in part
        assert (
            '<a class="footer-icp" href="https://beian.miit.gov.cn/" rel="noopener">豫ICP备12345678号-1</a>'
            in part
        )
        assert 'href="https://beian.mps.gov.cn/#/query/webSearch?code=41080002000001"' in part
        assert 'href="https://bszs.conac.cn/sitename?method=show&amp;id=1"' in part
        assert 'href="/wzdt/"' in part and 'href="/wza/"' in part
    assert '<meta name="SiteIDCode" content="4108000001">' in client.get("/").content.decode()


def test_footer_leaves_out_missing_items_rather_than_empty_labels(client, center):
    html = footer(client.get("/").content.decode())
    assert "ICP" not in html and "承办单位" not in html and "公安" not in html
    assert not re.search(r"：\s*</", html)


def test_sitemap_page_lists_every_column(client, center):
    html = client.get("/wzdt/").content.decode()
    main = html.split('<main id="main"')[1]
    for href in ["/jyxx/", "/jyxx/jsgc/", "/jyxx/jsgc/zbgg/", "/zwgk/", "/wza/"]:
        assert f'href="{href}"' in main, href


def test_accessibility_page(client, center):
    response = client.get("/wza/")
    assert response.status_code == 200
    assert "无障碍工具栏" in response.content.decode()


def test_404_is_branded_with_the_site_layout(client, center):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在（404）" in html and 'href="/wzdt/"' in html
    assert 'aria-label="网站栏目"' in html  # the site's menu


def test_500_page_renders_without_a_request(center):
    from django.template.loader import render_to_string

    site_identity_update(data=IDENTITY)
    html = render_to_string("500.html")
    assert "服务暂时不可用" in html and "焦作市公共资源交易中心" in html and "0391-1234567" in html
