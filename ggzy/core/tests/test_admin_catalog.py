"""Issue 20: the strings Wagtail's and django-filter's zh_Hans catalogs lack are
ggzy's own catalog (locale/zh_Hans); the committed django.mo is its django.po compiled."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LOCALE = Path(__file__).resolve().parents[3] / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_the_committed_catalog_is_the_po_compiled(tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("gettext's msgfmt is missing: sudo apt-get install gettext")
    subprocess.run([msgfmt, "--check-format", "-o", tmp_path / "django.mo", LOCALE / "django.po"], check=True)
    fresh = gettext.GNUTranslations((tmp_path / "django.mo").open("rb"))._catalog
    committed = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))._catalog
    assert committed == fresh, "locale/zh_Hans/LC_MESSAGES/django.mo is stale: run `make messages`"


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Your pages and snippets in a workflow", "我提交审批中的信息"),
        ("The page could not be created due to validation errors.", "页面未能创建：请更正标出的错误。"),
        ("is greater than or equal to", "大于等于"),  # django-filter: a zh_CN catalog only
        ("contains", "包含"),
        ("Wagtail admin", "管理后台"),
    ],
)
def test_the_leaks_named_in_the_issue_are_chinese(english, chinese):
    with translation.override("zh-hans"):
        assert _(english) == chinese


def test_the_dashboards_page_count_is_chinese():
    with translation.override("zh-hans"):
        text = ngettext(
            '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
            '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>',
            37,
        ) % {"total": 37, "site_name": "焦作"}
    assert text.startswith("37 个页面")
