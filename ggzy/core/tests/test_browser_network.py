"""Issue 14 item 6: nothing leaves the network. Every request the admin and the
public pages make in Chromium goes to the site's own host: no avatar from
gravatar.com (staff e-mail hashes sent outside, a broken image on a closed
network), no font, script or update check from anywhere else."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.portal.tests.factories import column, publish_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCAL_SCHEMES = ("data", "blob", "about")


def test_admin_and_public_pages_ask_only_the_sites_own_host(center, live_server, page):
    article = publish_article(column("jyxx/jsgc/zbgg"), "某道路工程施工招标公告", department="jianshe")
    own = urlsplit(live_server.url).netloc
    requested: list[str] = []
    page.context.on("request", lambda request: requested.append(request.url))

    public = ["/", "/jyxx/jsgc/zbgg/", article.url, "/search/?q=招标"]
    for path in public:
        response = page.goto(live_server.url + path, wait_until="networkidle")
        assert response is not None and response.status == 200, path

    # The bootstrap 系统管理员 sees every admin screen listed; an e-mail address
    # is what Wagtail would hash for an avatar.
    admin = make_user(is_superuser=True, email="zhang.san@example.org")
    browser_login(page, live_server, admin)
    screens = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[article.get_parent().pk]),
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        reverse("wagtailusers_users:index"),
        reverse("wagtaildocs:index"),
    ]
    for path in screens:
        response = page.goto(live_server.url + path, wait_until="networkidle")
        assert response is not None and response.status == 200, path

    outside = sorted(
        {
            url
            for url in requested
            if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).netloc != own
        }
    )
    assert len(requested) > len(public) + len(screens)  # the pages' own assets were seen
    assert not outside, "requests to other hosts:\n" + "\n".join(outside)
