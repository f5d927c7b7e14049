"""The marker a page type carries to be screened as an article.

Screening sits below the portal in the layer order, so it cannot name the
portal's page classes; a page type opts in by inheriting this mixin (the way
Wagtail's own mixins mark capabilities). Pages that carry it get their
findings shown after each save, a 审查结果 button and (from ggzy.ingest) Word
import of the body (网站管理制度 第八条、第十四条; 信息发布管理制度 一(二)(四)(九)).
"""

__all__ = ["ScreenedArticle", "is_screened_article"]


class ScreenedArticle:
    """A page with ``title``, ``body`` (rich text), ``source_name`` and ``keywords``."""

    # The text fields screened on save, in the order findings are listed.
    screened_fields = ("title", "body", "source_name", "keywords")

    @classmethod
    def body_features(cls) -> list[str]:
        """The rich text features the body allows (what a Word import may produce)."""
        return list(cls._meta.get_field("body").features or [])


def is_screened_article(page_class) -> bool:
    return isinstance(page_class, type) and issubclass(page_class, ScreenedArticle)
