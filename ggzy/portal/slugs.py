"""Readable public URLs for the items of a column (issue 20): an article or notice whose
slug would come from its Chinese title (percent-encoded in every URL, and changing with
the title) gets ``YYYYMMDD-n`` instead — the day it was created and its number among that
day's items of the column: ``/jyxx/jsgc/zbgg/20261204-3/``.

- An ASCII title keeps Wagtail's slug (``annual-report-2026``); a slug typed on purpose
  (one that is not just the title) is kept, Chinese or not; notices from the intake API
  keep their external id.
- Once a page has its readable slug, a later edit that brings the title's slug back
  (Wagtail's editor fills the slug from the title while a page is not live) keeps the
  stored one, so the URL does not change with the title, before or after publication.
- Existing pages keep their slugs: nothing is renamed, so no published link breaks.
- Columns (``ColumnPage``) and the home page are not column items: their slugs are the
  pinyin/ASCII ones of the center's data, or what the 网站管理员 types.
"""

from __future__ import annotations

import re

from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

_NOT_WORD = re.compile(r"[\W_]+")
_DAILY = re.compile(r"^(\d{8})-(\d+)$")


def _squash(text: str) -> str:
    return _NOT_WORD.sub("", text or "").lower()


def from_title(slug: str, title: str) -> bool:
    """The slug is (Wagtail's or the editor's script's) slugified title."""
    return bool(slug) and _squash(slug) == _squash(title)


def needs_readable_slug(slug: str, title: str) -> bool:
    """Empty, or the title's slug, while the title gives no ASCII one."""
    if slug and not from_title(slug, title):
        return False  # typed on purpose
    return not slugify(title, allow_unicode=True).isascii() or not slugify(title)


def next_daily_slug(parent: Page, *, exclude_pk: int | None = None) -> str:
    """``YYYYMMDD-n``: today's date and the next free number among the parent's children."""
    day = timezone.localdate().strftime("%Y%m%d")
    taken = Page.objects.child_of(parent).filter(slug__startswith=f"{day}-")
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    numbers = [int(m.group(2)) for s in taken.values_list("slug", flat=True) if (m := _DAILY.match(s))]
    return f"{day}-{max(numbers, default=0) + 1}"


class ReadableSlugMixin:
    """For the page models that are items of a column (ArticlePage, NoticePage)."""

    # Wagtail cleans a live page with full_clean and a draft with minimal_clean (on save,
    # save_revision and add_child); both set the slug's default, so both come here first.
    def full_clean(self, *args, **kwargs):
        self._readable_slug()
        return super().full_clean(*args, **kwargs)

    def minimal_clean(self):
        self._readable_slug()
        return super().minimal_clean()

    def _readable_slug(self) -> None:
        if not needs_readable_slug(self.slug, self.title):
            return
        if self.pk is not None:
            stored = Page.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
            if stored and stored.isascii():
                self.slug = stored  # stable: the title's slug never replaces the readable one
                return
            if stored and self.first_published_at is not None:
                return  # published under an older (Chinese) slug: its URL stays
        parent = getattr(self, "_cached_parent_obj", None) or (self.get_parent() if self.path else None)
        if parent is None:
            return  # not yet in the tree: Wagtail cleans again when it is added
        self.slug = next_daily_slug(parent, exclude_pk=self.pk)
