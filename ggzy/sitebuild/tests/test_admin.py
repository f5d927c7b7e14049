"""网站管理 → 网页防篡改检查: the read-only tamper-check history in the admin
(网络信息安全故障应急预案 第六条) — who sees it, listing, filters, detail, no
writes, bounded queries, the stale-check warning."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.sitebuild.models import TamperCheck

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
INDEX = "/admin/site/tamper-checks/"
VIEWERS = [RoleKey.WEBSITE_ADMIN, RoleKey.SECURITY_ADMIN, RoleKey.AUDIT_ADMIN]
OTHERS = [
    RoleKey.SYSTEM_ADMIN,
    RoleKey.PUBLISHER,
    RoleKey.DRAFTER,
    RoleKey.DEPARTMENT_HEAD,
    RoleKey.NETWORK_ADMIN,
]


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def check(when: dt.datetime, *, tampered: bool = False, **fields) -> TamperCheck:
    values = {"root": "/srv/ggzy/site", "files_checked": 77, "intact": not tampered, "duration_ms": 120}
    if tampered:
        values.update(
            modified=["jyxx/index.html"],
            added=["jyxx/evil.html"],
            missing=[],
            modified_count=1,
            added_count=1,
            restored=True,
            intact_after_restore=True,
        )
    return TamperCheck.objects.create(checked_at=when, **{**values, **fields})


def viewer(role=RoleKey.WEBSITE_ADMIN) -> Client:
    client = Client()
    login_as(client, make_user(role))
    return client


def rows(html: str) -> list[str]:
    """The check times in the listing (each a link to its detail view), in order."""
    return re.findall(r'/inspect/\d+/"[^>]*>\s*(?:<span[^>]*>)?\s*(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)', html)


def test_the_three_roles_list_checks_newest_first_with_a_clear_state():
    check(at(2026, 3, 1, 9, 0), tampered=True)
    check(at(2026, 3, 1, 9, 5))
    check(at(2026, 3, 1, 8, 55))
    for role in VIEWERS:
        html = viewer(role).get(INDEX).content.decode()
        assert rows(html) == ["2026-03-01 09:05:00", "2026-03-01 09:00:00", "2026-03-01 08:55:00"], role
        assert html.count('<span class="w-status w-status--primary">正常</span>') == 2
        assert html.count('w-bg-critical-200 w-text-white w-font-bold">被篡改</span>') == 1
        for header in (
            "检查时间",
            "检查结果",
            "被修改",
            "新增",
            "缺失",
            "已恢复",
            "恢复后完好",
            "耗时（毫秒）",
        ):
            assert header in html, header


def test_filters_by_state_and_date_range():
    check(at(2026, 3, 1, 23, 55), tampered=True)
    check(at(2026, 3, 2, 0, 5))
    check(at(2026, 3, 2, 10, 0), tampered=True)
    check(at(2026, 3, 3, 0, 0))
    client = viewer()
    assert rows(client.get(INDEX, {"intact": "false"}).content.decode()) == [
        "2026-03-02 10:00:00",
        "2026-03-01 23:55:00",
    ]
    assert len(rows(client.get(INDEX, {"intact": "true"}).content.decode())) == 2
    # Dates are local (Asia/Shanghai) days.
    day = {"checked_at_from": "2026-03-02", "checked_at_to": "2026-03-02"}
    assert rows(client.get(INDEX, day).content.decode()) == ["2026-03-02 10:00:00", "2026-03-02 00:05:00"]
    html = client.get(f"{INDEX}results/", {**day, "intact": "false"}).content.decode()
    assert rows(html) == ["2026-03-02 10:00:00"]


def test_detail_shows_the_stored_paths_and_the_manifest_error():
    modified = [f"jyxx/page-{n}/index.html" for n in range(1000)]
    found = check(
        at(2026, 3, 1, 9, 0),
        tampered=True,
        modified=modified,
        modified_count=1500,
        missing=["sitemap-1.xml"],
        missing_count=1,
        manifest_error="清单签名无效",
        restored=True,
        intact_after_restore=False,
    )
    client = viewer(RoleKey.SECURITY_ADMIN)
    listing = client.get(INDEX).content.decode()
    detail_url = reverse("tamper_checks:inspect", args=[found.pk])
    assert f'href="{detail_url}"' in listing
    html = client.get(detail_url).content.decode()
    assert "被篡改" in html and "清单签名无效" in html and "2026-03-01 09:00:00" in html
    assert "恢复后复核仍不完好，请立即处置" in html
    assert "被修改的文件（共 1500 个，仅列出前 1000 个）" in html
    assert html.count("<li><code>jyxx/page-") == 1000
    assert "新增的文件（共 1 个）" in html and "<code>jyxx/evil.html</code>" in html
    assert "缺失的文件（共 1 个）" in html and "<code>sitemap-1.xml</code>" in html
    intact = check(at(2026, 3, 1, 9, 5))
    html = client.get(reverse("tamper_checks:inspect", args=[intact.pk])).content.decode()
    assert "正常" in html and "被篡改" not in html and "被修改的文件（共 0 个）" in html


def test_other_roles_get_a_recorded_403_and_no_menu_item():
    found = check(at(2026, 3, 1, 9, 0), tampered=True)
    urls = [INDEX, f"{INDEX}results/", f"{INDEX}inspect/{found.pk}/", f"{INDEX}inspect/999999/"]
    for role in OTHERS:
        client = viewer(role)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 403, (role, url)
            assert "只有网站管理员、安全管理员和审计管理员可以查看" in response.content.decode()
        assert INDEX not in client.get("/admin/").content.decode(), role  # no menu item
    denied = AuditEvent.objects.filter(action="sitebuild.tampercheck.access_denied")
    assert denied.count() == len(OTHERS) * len(urls)
    assert set(denied.values_list("outcome", flat=True)) == {"failure"}
    assert INDEX in viewer().get("/admin/").content.decode()
    anonymous = Client().get(INDEX)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous.url


def test_nobody_adds_edits_or_deletes_a_check_not_even_a_superuser():
    found = check(at(2026, 3, 1, 9, 0), tampered=True)
    for name in ("add", "edit", "delete", "copy", "history", "usage"):
        with pytest.raises(NoReverseMatch):
            reverse(f"tamper_checks:{name}", args=[] if name == "add" else [found.pk])
    superuser = make_user(RoleKey.SYSTEM_ADMIN, is_superuser=True, is_staff=True)
    as_superuser = Client()
    login_as(as_superuser, superuser)
    for client in (viewer(), viewer(RoleKey.AUDIT_ADMIN), as_superuser):
        for url in (f"{INDEX}new/", f"{INDEX}edit/{found.pk}/", f"{INDEX}delete/{found.pk}/"):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"intact": "on"}).status_code == 404, url
        listing, detail = client.get(INDEX), client.get(f"{INDEX}inspect/{found.pk}/")
        if client is as_superuser:
            # Not the 系统管理员's lane: the flag does not open the history (issue 14 item 4).
            assert listing.status_code == detail.status_code == 403
            continue
        assert listing.status_code == detail.status_code == 200
        html = listing.content.decode() + detail.content.decode()
        assert "/edit/" not in html and "/delete/" not in html and f"{INDEX}new/" not in html
    found.refresh_from_db()
    assert not found.intact and TamperCheck.objects.count() == 1


def test_listing_queries_do_not_grow_with_the_rows():
    client = viewer()
    for minute in range(3):
        check(at(2026, 3, 1, 9, minute), tampered=minute == 1)
    client.get(INDEX)  # the session and permission caches warm up
    with CaptureQueriesContext(connection) as few:
        assert client.get(INDEX).status_code == 200
    for minute in range(3, 45):
        check(at(2026, 3, 1, 9, minute), tampered=minute % 3 == 0, modified=["x"] * 1000)
    with CaptureQueriesContext(connection) as many:
        html = client.get(INDEX).content.decode()
    assert len(rows(html)) == 45
    assert len(many) == len(few), [q["sql"] for q in many]
    # The listing reads counts, never the path lists.
    listing = [q["sql"] for q in many if 'FROM "sitebuild_tampercheck"' in q["sql"]]
    assert listing and not any('"sitebuild_tampercheck"."modified",' in sql for sql in listing)


def test_a_warning_when_the_periodic_check_has_stopped():
    client = viewer()
    with time_machine.travel(at(2026, 3, 1, 9, 0), tick=False):
        assert "尚无网页防篡改检查记录" in client.get(INDEX).content.decode()
        check(at(2026, 3, 1, 8, 50))
        assert 'id="tamper-check-stale"' not in client.get(INDEX).content.decode()
    with time_machine.travel(at(2026, 3, 1, 9, 4), tick=False):
        assert 'id="tamper-check-stale"' not in client.get(INDEX).content.decode()
    with time_machine.travel(at(2026, 3, 1, 9, 20), tick=False):
        html = client.get(INDEX).content.decode()
        assert "最近一次检查在 2026-03-01 08:50:00（30 分钟前），已超过 15 分钟" in html
