"""Issue 20: people by their names in Chinese order, everywhere (one method)."""

import pytest
from wagtail.admin.utils import get_user_display_name

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import make_user


@pytest.mark.django_db
def test_a_chinese_name_reads_family_name_first(center):
    user = make_user(R.DRAFTER, department="jianshe", last_name="李", first_name="小明")
    assert user.get_full_name() == "李小明" == user.get_short_name() == str(user)
    assert get_user_display_name(user) == "李小明"  # Wagtail's screens, logs and e-mails


@pytest.mark.django_db
def test_a_latin_name_keeps_its_order_and_a_nameless_user_shows_the_login(center):
    assert make_user(
        R.DRAFTER, department="jianshe", last_name="Smith", first_name="Anna"
    ).get_full_name() == ("Anna Smith")
    nameless = make_user(R.DRAFTER, department="jianshe", last_name="", first_name="")
    assert str(nameless) == nameless.username


@pytest.mark.django_db
def test_the_admin_sidebar_account_menu_shows_the_full_chinese_name(center, client):
    import json
    import re

    from ggzy.accounts.tests.factories import login_as

    user = make_user(R.DRAFTER, department="jianshe", last_name="张", first_name="伟")
    login_as(client, user)
    response = client.get("/admin/")
    assert response.status_code == 200
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    modules = json.loads(props.group(1))["modules"]
    menu = next(m for m in modules if m.get("_type") == "wagtail.sidebar.MainMenuModule")
    assert menu["_args"][2]["name"] == "张伟"  # Wagtail alone would show 伟
