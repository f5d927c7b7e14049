"""Published articles and notices for search tests, indexed as publishing does it
(the on-commit re-index runs inside the test's transaction)."""

from django.test import TestCase

from ggzy.notices.tests.factories import publish_notice
from ggzy.portal.tests.factories import column, publish_article


def indexed_article(column_path: str, title: str, body: str = "<p>正文</p>", **fields):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return publish_article(column(column_path), title, body, **fields)


def indexed_notice(kind: str, **fields):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return publish_notice(kind, **fields)
