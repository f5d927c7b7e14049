"""Issue 20: the admin as staff meet it is Chinese. The per-role crawl of
test_admin_access (the same world and principals) reads every screen each role's
menu reaches, one link down, and fails on a Latin-only label."""

import pytest

from ggzy.accounts.models import User
from ggzy.core.tests.access import ROLES, admin_menu_urls
from ggzy.core.tests.chinese import latin_labels, latin_only, sweep

from .test_admin_access import _media_root, setting, world  # noqa: F401  (the shared world)


def _typed_values() -> list[str]:
    """What people typed (user names, e-mail addresses): data, not labels."""
    rows = User.objects.values_list("username", "email", "first_name", "last_name")
    return [value for row in rows for value in row if value]


@pytest.mark.django_db
@pytest.mark.parametrize("principal", [*ROLES, "superuser"])
def test_every_admin_screen_of_every_role_is_chinese(world, principal):  # noqa: F811
    _, principals = world
    client = principals.clients[principal]
    leaks = sweep(client, admin_menu_urls(client), depth=1, data=_typed_values())
    assert not leaks, "\n".join(f"{url}: {labels}" for url, labels in leaks.items())


def test_the_sweep_sees_a_latin_label_and_spares_the_allow_list():
    body = '<label>Password</label><th title="Layout requirement">版面</th><td>PDF</td><td>导出 CSV</td>'
    assert set(latin_labels(body)) == {
        "Layout requirement",
        "Password",
    }
    assert latin_labels("<p>sysadmin</p>", data=["sysadmin"]) == []
    assert latin_labels("<script>var Password;</script><p>登录 Sign</p>") == []
    # What the browser sweep reads from the live DOM goes through the same filter.
    assert latin_only(
        ["Toggle sidebar", "切换侧边栏", "导出 PDF", "Insert a block", "sysadmin"], ["sysadmin"]
    ) == [
        "Toggle sidebar",
        "Insert a block",
    ]
