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
