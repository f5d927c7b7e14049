"""The site bench's publish section (scripts/site_bench.py, `make bench`) walks the
center's approval chain as it is today: once it stopped working unnoticed when the
trading chain gained the review group's step and the reviewers' checklists."""

import sys

import pytest
from django.conf import settings

from .helpers import build

# Committed rows: the publish writes its files on commit.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_bench_publishes_through_the_chain_and_the_files_are_written(center, root):
    sys.path.insert(0, str(settings.BASE_DIR / "scripts"))
    try:
        import site_bench
    finally:
        sys.path.remove(str(settings.BASE_DIR / "scripts"))
    build()

    result = site_bench.section_publish(2, budget_s=600.0)

    assert result["publishes"] == 2 and result["files_written"] is True, result
    assert result["url"] and (root / result["url"].strip("/") / "index.html").is_file()
