"""The shared admin menu groups (ggzy.core.menus) as each role sees them: the
sidebar Wagtail renders into the admin page, read back from its JSON props."""

import json
import re

import pytest

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user

pytestmark = pytest.mark.django_db

_PROPS = re.compile(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', re.S)


def _unpack(value, ids):
    """Telepath's packing undone: shared values come as {"_val", "_id"}, then {"_ref"}."""
    if isinstance(value, list):
        return [_unpack(v, ids) for v in value]
    if not isinstance(value, dict):
        return value
    if "_ref" in value:
        return ids[value["_ref"]]
    if "_val" in value:
        ids[value["_id"]] = _unpack(value["_val"], ids)
        return ids[value["_id"]]
    return {k: _unpack(v, ids) for k, v in value.items()}


def _items(packed) -> list[dict]:
    """Menu items as {"label", "icon", "url"} or {"label", "icon", "items"}."""
    items = []
    for item in packed:
        props = item["_args"][0]
        entry = {"label": props["label"], "icon": props["icon_name"]}
        if item["_type"] == "wagtail.sidebar.SubMenuItem":
            entry["items"] = _items(item["_args"][1])
        else:
            entry["url"] = props["url"]
        items.append(entry)
    return items


def main_menu(client, role) -> list[dict]:
    login_as(client, make_user(role))
    response = client.get("/admin/")
    assert response.status_code == 200
    props = _unpack(json.loads(_PROPS.search(response.content.decode()).group(1)), {})
    module = next(m for m in props["modules"] if m["_type"] == "wagtail.sidebar.MainMenuModule")
    return _items(module["_args"][0])


def group(menu, label):
    return next((entry for entry in menu if entry["label"] == label), None)


SUSPENSIONS = {"label": "暂停交易服务通知", "icon": "warning", "url": "/admin/suspensions/"}
TAMPER_CHECKS = {"label": "网页防篡改检查", "icon": "warning", "url": "/admin/site/tamper-checks/"}
WEBSITE_REPORTS = {"label": "网站月报", "icon": "doc-full", "url": "/admin/site/website-reports/"}


def test_website_admin_sees_the_site_management_group_as_before(client):
    menu = main_menu(client, RoleKey.WEBSITE_ADMIN)
    site = group(menu, "网站管理")
    assert site == {
        "label": "网站管理",
        "icon": "site",
        "items": [SUSPENSIONS, TAMPER_CHECKS, WEBSITE_REPORTS],
    }
    # menu_order 850: after 信息发布 (250), before 工作日历 (900).
    labels = [entry["label"] for entry in menu]
    assert labels.index("信息发布") < labels.index("网站管理") < labels.index("工作日历")


@pytest.mark.parametrize(
    ("role", "items"),
    [(RoleKey.SECURITY_ADMIN, [TAMPER_CHECKS]), (RoleKey.AUDIT_ADMIN, [TAMPER_CHECKS, WEBSITE_REPORTS])],
)
def test_tamper_check_viewers_see_only_their_items(client, role, items):
    site = group(main_menu(client, role), "网站管理")
    assert site == {"label": "网站管理", "icon": "site", "items": items}


@pytest.mark.parametrize("role", [RoleKey.DRAFTER, RoleKey.PUBLISHER])
def test_roles_without_its_permissions_do_not_see_the_group(client, role):
    assert group(main_menu(client, role), "网站管理") is None


OVERVIEW = {"label": "合规总览", "icon": "tasks", "url": "/admin/compliance/"}
MINE = {"label": "我的定期义务", "icon": "date", "url": "/admin/compliance/mine/"}
CALENDAR = {"label": "义务日历", "icon": "calendar", "url": "/admin/compliance/calendar/"}
REPORT = {"label": "合规报告", "icon": "doc-full", "url": "/admin/compliance/report/"}


@pytest.mark.parametrize("role", [RoleKey.SECURITY_ADMIN, RoleKey.AUDIT_ADMIN])
def test_the_overseers_see_the_compliance_overview_and_their_duties(client, role):
    assert group(main_menu(client, role), "合规管理") == {
        "label": "合规管理",
        "icon": "tasks",
        "items": [OVERVIEW, MINE, CALENDAR, REPORT],
    }


@pytest.mark.parametrize("role", [RoleKey.DRAFTER, RoleKey.NETWORK_ADMIN])
def test_everyone_else_sees_only_their_own_duties(client, role):
    assert group(main_menu(client, role), "合规管理") == {
        "label": "合规管理",
        "icon": "tasks",
        "items": [MINE, CALENDAR],
    }
