import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ggzy.notices.choices import NoticeKind
from ggzy.search import engines
from ggzy.search.models import SearchEntry
from ggzy.search.segmentation import parse_query
from ggzy.search.selectors import search_site
from ggzy.search.services import rebuild_search_index

from .factories import indexed_article, indexed_notice

pytestmark = pytest.mark.django_db


def test_rebuild_command_reindexes_everything_live_and_drops_the_rest():
    tender = indexed_notice(NoticeKind.CONSTRUCTION_TENDER, title="焦作市道路改造工程招标公告")
    news = indexed_article("zxdt/hyxx", "道路养护动态")
    SearchEntry.objects.filter(pk=tender.pk).delete()  # lost entry
    SearchEntry.objects.filter(pk=news.pk).update(title="旧标题")  # stale entry
    out = io.StringIO()
    call_command("rebuild_search_index", "--workers", "1", stdout=out)
    assert "Search index rebuilt: 2 pages" in out.getvalue()
    assert {h.page.pk for h in search_site(query="道路").hits} == {tender.pk, news.pk}
    assert SearchEntry.objects.get(pk=news.pk).title == "道路养护动态"


def test_rebuild_with_two_segmenting_processes_gives_the_same_index():
    indexed_notice(NoticeKind.CONSTRUCTION_CANDIDATES, title="某学校工程中标候选人公示")
    for i in range(3):
        indexed_article("zxdt/hyxx", f"焦作市政府采购简讯{i}")
    before = dict(SearchEntry.objects.values_list("pk", "body_tokens"))
    result = rebuild_search_index(stdout=io.StringIO(), workers=2)
    assert result.entries == 4
    assert dict(SearchEntry.objects.values_list("pk", "body_tokens")) == before
    assert search_site(query="政府采购").total == 3


def test_rebuild_command_refuses_zero_workers():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("rebuild_search_index", "--workers", "0")


def test_query_translations_for_each_backend():
    terms = parse_query("招标公告 JZ2026-GC")
    assert engines.fts5_query(terms) == '"招标公告" AND ("jz2026gc"* OR ("jz2026" AND "gc"))'
    assert engines.tsquery(terms) == "'招标公告' & ('jz2026gc':* | ('jz2026' & 'gc'))"


def test_wagtail_backend_path_finds_the_same(monkeypatch, settings):
    """The Elasticsearch/OpenSearch path through Wagtail's search API, run here on
    Wagtail's database backend (no server needed): same tokens, same filters."""
    from wagtail.search.backends import get_search_backend

    tender = indexed_notice(NoticeKind.CONSTRUCTION_TENDER, title="焦作市道路改造工程招标公告")
    indexed_article("zxdt/hyxx", "道路养护动态")
    settings.SEARCH_BACKEND = "elasticsearch8"  # selects the Wagtail path; the backend stays "database"
    monkeypatch.setattr(SearchEntry, "search_fields", SearchEntry.search_fields or _es_fields())
    _index_entries_relation()  # what Wagtail adds at start-up to models indexed then
    backend = get_search_backend()
    backend.add_bulk(SearchEntry, list(SearchEntry.objects.all()))
    assert {h.page.pk for h in search_site(query="焦作 改造").hits} == {tender.pk}
    assert search_site(query="道路", kind=NoticeKind.CONSTRUCTION_TENDER).total == 1
    assert search_site(query="道路", order="newest").total == 2


def _index_entries_relation():
    from wagtail.search.models import IndexEntry

    if not any(f.name == "index_entries" for f in SearchEntry._meta.private_fields):
        from modelsearch.abstract_models import TextIDGenericRelation

        TextIDGenericRelation(IndexEntry).contribute_to_class(SearchEntry, "index_entries")


def _es_fields():
    from django.test import override_settings

    from ggzy.search import models

    with override_settings(SEARCH_BACKEND="opensearch2"):
        return models._wagtail_search_fields()


@pytest.mark.parametrize(
    ("env", "error"),
    [
        ({"SEARCH_BACKEND": "solr"}, "SEARCH_BACKEND must be one of"),
        ({"SEARCH_BACKEND": "opensearch2"}, "SEARCH_BACKEND needs SEARCH_URL"),
    ],
)
def test_search_settings_fail_fast(env, error):
    code = "import config.settings"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "GGZY_ENV": "test", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and error in result.stderr


def test_search_server_settings_select_wagtails_backend():
    code = "import config.settings as s; print(s.WAGTAILSEARCH_BACKENDS['default'])"
    env = {**os.environ, "GGZY_ENV": "test", "SEARCH_BACKEND": "opensearch2", "SEARCH_URL": "http://os:9200"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert "wagtail.search.backends.opensearch2" in result.stdout and "http://os:9200" in result.stdout


def test_text_of_a_table_inserted_from_xlsx_is_searchable():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ggzy.accounts.choices import RoleKey
    from ggzy.accounts.tests.factories import make_user
    from ggzy.ingest.services import spreadsheet_table_create, spreadsheet_upload
    from ggzy.screening.tests.documents import tender_workbook

    user = make_user(RoleKey.DRAFTER, department="jianshe")
    source, _ = spreadsheet_upload(upload=SimpleUploadedFile("开标记录.xlsx", tender_workbook()), actor=user)
    table = spreadsheet_table_create(
        source=source, sheet="开标记录", caption="开标记录表", header_rows=1, actor=user
    )
    cell = next(w for w in ("报价", "投标人") if w in table.html)
    article = indexed_article(
        "zxdt/hyxx", "开标结果", body=f'<p>见下表。</p><embed embedtype="xlsxtable" id="{table.pk}"/>'
    )
    assert article.pk in {h.page.pk for h in search_site(query=cell).hits}
