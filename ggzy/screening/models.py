from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import LexiconCategory, Severity

__all__ = ["LexiconEntry"]


class LexiconEntry(models.Model):
    """A prohibited term (网站管理制度 第十四条; 信息发布管理制度 一(四)), maintained
    by the 网站管理员. Matched after normalisation, so "赌 博" and "賭博"-style
    full-width or spaced variants need no entries of their own."""

    category = models.CharField(_("类别"), max_length=32, choices=LexiconCategory.choices)
    term = models.CharField(_("词语"), max_length=100)
    severity = models.CharField(_("处理"), max_length=8, choices=Severity.choices, default=Severity.BLOCK)
    active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("违禁词")
        verbose_name_plural = _("违禁词库")
        ordering = ["category", "term"]
        constraints = [
            models.UniqueConstraint(fields=["category", "term"], name="screening_lexicon_unique_term"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.term}"
