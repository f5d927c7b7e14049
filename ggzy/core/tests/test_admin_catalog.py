"""Issue 20: the strings Wagtail's and django-filter's zh_Hans catalogs lack are
ggzy's own catalogs (locale/zh_Hans: django for the server, djangojs for the admin's
scripts); the committed .mo files are the .po files compiled."""

import gettext
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import wagtail.admin
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LOCALE = Path(__file__).resolve().parents[3] / "locale" / "zh_Hans" / "LC_MESSAGES"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_committed_catalog_is_the_po_compiled(tmp_path, domain):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("gettext's msgfmt is missing: sudo apt-get install gettext")
    po, mo = LOCALE / f"{domain}.po", LOCALE / f"{domain}.mo"
    subprocess.run([msgfmt, "--check-format", "-o", tmp_path / mo.name, po], check=True)
    fresh = gettext.GNUTranslations((tmp_path / mo.name).open("rb"))._catalog
    committed = gettext.GNUTranslations(mo.open("rb"))._catalog
    assert committed == fresh, f"locale/zh_Hans/LC_MESSAGES/{mo.name} is stale: run `make messages`"


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


def _msgids(po: Path) -> set[str]:
    """The msgids of a .po file (a plural entry by its singular), obsolete ones left out."""
    ids = set()
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        found = re.search(r'^msgid ((?:".*"\n?)+)', block, re.MULTILINE)
        if found:
            ids.add("".join(json.loads(f'"{part}"') for part in re.findall(r'"(.*)"', found.group(1))))
    ids.discard("")
    return ids


def test_every_string_of_wagtails_scripts_is_chinese_in_the_served_catalog(client):
    """What Wagtail's admin scripts ask gettext() for (its djangojs catalog, whose
    zh_Hans lacks 19 strings: the sidebar's "(New)", Draftail's block menu, autosave,
    the content metrics) comes Chinese from the catalog the admin loads, /admin/jsi18n/
    (ggzy's djangojs.po merged over Wagtail's)."""
    english = _msgids(Path(wagtail.admin.__file__).parent / "locale/en/LC_MESSAGES/djangojs.po")
    assert len(english) > 80
    response = client.get(reverse("wagtailadmin_javascript_catalog"))
    assert response.status_code == 200
    catalog = json.loads(
        re.search(r"const newcatalog = (\{.*?\});\n", response.content.decode(), re.DOTALL)[1]
    )
    missing = sorted(
        msgid
        for msgid in english
        if not all(_chinese_or_symbols(text) for text in _as_list(catalog.get(msgid, "")))
    )
    assert missing == []


def _as_list(value) -> list[str]:
    return value if isinstance(value, list) else [value]


def _chinese_or_symbols(text: str) -> bool:
    """Translated: Chinese, or no words at all besides its placeholders ("%(a)s：%(b)s")."""
    bare = re.sub(r"%\(\w+\)\w", "", text)
    return bool(text) and (bool(re.search(r"[\u3400-\u9fff]", bare)) or not re.search(r"[A-Za-z]", bare))
