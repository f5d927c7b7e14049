"""What the public search can filter by: the kind of item."""

from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ggzy.notices.choices import NoticeKind

ARTICLE = "article"


def kind_choices() -> list[tuple[str, str]]:
    """Articles (文章) and the eleven kinds of trading announcement."""
    return list(_kind_labels(get_language()).items())


@lru_cache(maxsize=8)
def _kind_labels(language: str | None) -> dict[str, str]:
    # translated once per language, not once per search result
    return {ARTICLE: str(_("文章")), **{k.value: str(k.label) for k in NoticeKind}}


def kind_label(kind: str) -> str:
    return _kind_labels(get_language()).get(kind, "")


class Order:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    CHOICES = ((RELEVANCE, _("相关度")), (NEWEST, _("发布时间")))
