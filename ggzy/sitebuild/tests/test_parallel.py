"""The full build over several processes writes the same files as one process."""

import pytest

from ggzy.portal.tests.factories import column
from ggzy.sitebuild import build as build_module
from ggzy.sitebuild.manifest import load_manifest
from ggzy.sitebuild.services import site_build, site_verify

from .bulk import bulk_articles
from .helpers import snapshot

# Committed rows: forked workers read the database through their own connections.
pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_build_the_same_site_as_one(center, tmp_path, settings, monkeypatch):
    settings.GGZY_PAGE_SIZE = 5
    monkeypatch.setattr(build_module, "ITEMS_PER_UNIT", 7)  # many small units
    monkeypatch.setattr(build_module, "ARCHIVES_PER_UNIT", 2)  # a column's list pages split across units
    bulk_articles(column("jyxx/jsgc/zbgg"), 40)
    bulk_articles(column("zwgk"), 12)

    one = site_build(root=tmp_path / "one", workers=1)
    two = site_build(root=tmp_path / "two", workers=2)

    assert (one.workers, two.workers) == (1, 2)
    # home, 36 column front pages, 52 items, archive pages: 8 each for 招标公告,
    # 建设工程 and 交易信息 (40 items), 3 for 政务公开 (12); 网站地图, 无障碍说明, 404, 50x
    assert one.pages == two.pages == 1 + 36 + 52 + 3 * 8 + 3 + 4
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")
    assert load_manifest(tmp_path / "one") == load_manifest(tmp_path / "two")
    assert site_verify(root=tmp_path / "two").intact
    assert (tmp_path / "two/jyxx/jsgc/zbgg/page/8/index.html").is_file()
