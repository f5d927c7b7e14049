"""Issue 20, the labels scripts draw: the admin as Chromium renders it is Chinese.

test_admin_chinese reads the HTML the server sends; what Wagtail's scripts draw
(the React sidebar and its menus, Draftail's toolbar and block menu, the
dropdowns, the modals, the editor's side panels) is only in the live DOM. Here
one Chromium session opens every distinct admin screen that the crawl of
test_admin_access reaches (one URL per URL name) as the superuser (系统管理员),
the 网站管理员 and the 安全管理员 — the roles whose menus reach the most screens —
and, with the menus, dropdowns, editors and modals open, reads the labels people
read and fails on a Latin-only one (ggzy.core.tests.chinese: the same allow-list
and the same label elements and attributes as the HTML sweep)."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.models import User
from ggzy.core.tests.access import _screen_of, admin_menu_urls
from ggzy.core.tests.chinese import html_screens, latin_only, rendered_labels
from ggzy.notices.tests.factories import add_notice

from .test_admin_access import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The principals whose menus reach the most screens, in this order: a screen one of
# them opened is not opened again by the next (the HTML sweep reads every role).
PRINCIPALS = ("superuser", R.WEBSITE_ADMIN, R.SECURITY_ADMIN)
SIDEBAR_DRAWN = (
    "() => !document.getElementById('wagtail-sidebar') || document.querySelector('#wagtail-sidebar .sidebar')"
)


@pytest.fixture
def backup_elsewhere(settings, tmp_path):
    """The backup screens read the repository they are given: never the machine's."""
    settings.BACKUP_REPOSITORY = str(tmp_path / "backup-repo")
    settings.BACKUP_STAGING_DIR = tmp_path / "backup-staging"
    settings.BACKUP_DRILL_DIR = tmp_path / "backup-drill"


class Reader:
    """One tab; collects {where: Latin-only labels} as it reads the screens."""

    def __init__(self, tab, base_url: str, data: list[str]):
        self.tab, self.base_url, self.data = tab, base_url, data
        self.leaks: dict[str, list[str]] = {}
        self.read_count = 0

    def log_in(self, client) -> None:
        """The tab takes over the session of a test client logged in with both factors."""
        self.tab.context.clear_cookies()
        self.tab.context.add_cookies(
            [
                {
                    "name": django_settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                    "url": self.base_url,
                }
            ]
        )

    def open(self, url: str) -> None:
        self.tab.goto(self.base_url + url)
        # The sidebar is drawn by React once the admin's scripts ran (a page preview has none).
        self.tab.wait_for_function(SIDEBAR_DRAWN)

    def read(self, where: str) -> None:
        self.read_count += 1
        labels = latin_only(rendered_labels(self.tab), self.data)
        if labels:
            self.leaks.setdefault(where, [])
            self.leaks[where] += [label for label in labels if label not in self.leaks[where]]


def _typed_values() -> list[str]:
    """What people typed (user names, e-mail addresses): data, not labels."""
    rows = User.objects.values_list("username", "email", "first_name", "last_name")
    return [value for row in rows for value in row if value]


def _sidebar(reader: Reader, who: str) -> None:
    """The dashboard with the sidebar expanded, each of its sub-menus open, the
    account menu open, then collapsed."""
    tab = reader.tab
    reader.open(reverse("wagtailadmin_home"))
    reader.read(f"{who}: 仪表板，侧边栏展开")
    sidebar = tab.locator("#wagtail-sidebar")
    submenus = sidebar.locator(
        ".sidebar-main-menu button[aria-haspopup], .sidebar-main-menu button[aria-expanded]"
    )
    for index in range(submenus.count()):
        button = submenus.nth(index)
        name = button.inner_text().strip()
        button.click()
        # A sub-menu, or the page explorer (its items fetched from the admin API).
        tab.locator(".sidebar-sub-menu-panel:visible, .c-page-explorer__item:visible").first.wait_for()
        reader.read(f"{who}: 侧边栏子菜单 {name}")
        button.click()
    sidebar.locator(".sidebar-footer button").first.click()
    reader.read(f"{who}: 账户菜单")
    tab.keyboard.press("Escape")
    # The keyboard shortcuts dialog (帮助 → 快捷键, or "?").
    tab.locator("main").first.click(position={"x": 5, "y": 5})
    tab.keyboard.press("?")
    tab.locator("#keyboard-shortcuts-dialog").wait_for(state="visible")
    reader.read(f"{who}: 快捷键对话框")
    tab.keyboard.press("Escape")
    sidebar.locator("button.sidebar__collapse-toggle").click()
    tab.locator(".sidebar--slim").wait_for(state="attached")
    reader.read(f"{who}: 侧边栏收起")
    sidebar.locator("button.sidebar__collapse-toggle").click()
    tab.locator(".sidebar:not(.sidebar--slim)").first.wait_for(state="attached")


def _filters(reader: Reader, url: str, who: str) -> None:
    """A listing's filter drawer open, then one filter's own panel."""
    tab = reader.tab
    reader.open(url)
    toggle = tab.locator(".w-drilldown [data-w-dropdown-target='toggle']").first
    toggle.click()
    tab.locator(".w-drilldown__menu").first.wait_for(state="visible")
    reader.read(f"{who}: {url} 筛选")
    tab.locator(".w-drilldown__toggle").first.click()
    reader.read(f"{who}: {url} 筛选项")


def _editor(reader: Reader, url: str, who: str) -> None:
    """A page editor: Draftail's toolbar over a selection, its block menu (“/”),
    the link chooser modal, the editor's side panels and the actions menu."""
    tab = reader.tab
    reader.open(url)
    editor = tab.locator(".Draftail-Editor .public-DraftEditor-content").first
    editor.click()
    tab.keyboard.press("ControlOrMeta+a")
    tab.locator(".Draftail-FloatingToolbar:visible, .Draftail-Toolbar:visible").first.wait_for()
    reader.read(f"{who}: {url} 富文本工具栏")
    tab.keyboard.press("End")
    tab.keyboard.press("Enter")
    tab.keyboard.type("/")
    tab.locator("[role='option']:visible").first.wait_for()
    reader.read(f"{who}: {url} 插入块菜单")
    tab.keyboard.press("Escape")
    tab.keyboard.press("Backspace")
    tab.keyboard.press("Backspace")
    # The link chooser (a modal) from the toolbar over a selection.
    editor.click()
    tab.keyboard.press("ControlOrMeta+a")
    tab.locator(".Draftail-FloatingToolbar button[name='LINK']").first.click()
    tab.locator(".modal .modal-content").first.wait_for(state="visible")
    tab.wait_for_load_state("networkidle")
    reader.read(f"{who}: {url} 链接选择对话框")
    tab.locator(".modal button.close, .modal [data-dismiss='modal']").first.click()
    tab.locator(".modal .modal-content").first.wait_for(state="hidden")
    toggles = tab.locator("[data-side-panel-toggle]")
    for index in range(toggles.count()):
        toggle = toggles.nth(index)
        name = toggle.get_attribute("data-side-panel-toggle")
        toggle.click()
        tab.locator(f"[data-side-panel='{name}']").wait_for(state="visible")
        reader.read(f"{who}: {url} 侧边面板 {name}")
    tab.locator("footer [data-w-dropdown-target='toggle']").first.click()
    reader.read(f"{who}: {url} 操作菜单")
    tab.keyboard.press("Escape")


def _workflow_modal(reader: Reader, url: str, who: str) -> None:
    """A reviewer's 退回修改 modal (the workflow action's comment form)."""
    tab = reader.tab
    reader.open(url)
    tab.locator("footer [data-w-dropdown-target='toggle']").first.click()
    tab.get_by_role("button", name="退回修改", exact=True).click()
    tab.locator(".modal textarea").wait_for(state="visible")
    reader.read(f"{who}: {url} 审批对话框")


def test_every_label_of_the_rendered_admin_is_chinese(
    center, center_data, live_server, browser, backup_elsewhere
):
    world, principals = build_world(center_data)
    notice = add_notice("construction.candidates", drafter=world["user"])
    data = _typed_values()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15000)
    reader = Reader(tab, live_server.url, data)
    opened: set[str] = set()
    try:
        for principal in PRINCIPALS:
            client = principals.clients[principal]
            reader.log_in(client)
            for url, _ in html_screens(client, admin_menu_urls(client), depth=1):
                screen = _screen_of(url)
                if screen in opened:
                    continue
                opened.add(screen)
                reader.open(url)
                reader.read(f"{principal}: {url}")

        reader.log_in(principals.clients[R.WEBSITE_ADMIN])
        _sidebar(reader, R.WEBSITE_ADMIN)
        _filters(reader, reverse("wagtailadmin_explore", args=[world["review_column"].pk]), R.WEBSITE_ADMIN)
        _editor(reader, reverse("wagtailadmin_pages:edit", args=[world["draft_page"].pk]), R.WEBSITE_ADMIN)
        _editor(reader, reverse("wagtailadmin_pages:edit", args=[notice.pk]), R.WEBSITE_ADMIN)
        # The 建设工程交易科 head: the first step of the page under review.
        reader.log_in(principals.clients[R.DEPARTMENT_HEAD])
        _workflow_modal(
            reader,
            reverse("wagtailadmin_pages:edit", args=[world["page_under_review"].pk]),
            R.DEPARTMENT_HEAD,
        )
    finally:
        context.close()
    assert len(opened) > 60, sorted(opened)  # the crawl reached the admin, not a login page
    assert not reader.leaks, "\n".join(f"{where}: {labels}" for where, labels in reader.leaks.items())
