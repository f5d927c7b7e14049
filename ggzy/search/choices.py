"""What the public search can filter by: the kind of item."""

from django.utils.translation import gettext_lazy as _

from ggzy.notices.choices import NoticeKind

ARTICLE = "article"


def kind_choices() -> list[tuple[str, str]]:
    """Articles (文章) and the eleven kinds of trading announcement."""
    return [(ARTICLE, str(_("文章"))), *((k.value, str(k.label)) for k in NoticeKind)]


def kind_label(kind: str) -> str:
    return dict(kind_choices()).get(kind, "")


class Order:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    CHOICES = ((RELEVANCE, _("相关度")), (NEWEST, _("发布时间")))
