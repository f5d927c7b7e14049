from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import LexiconCategory, Severity

__all__ = ["FindingAcknowledgement", "LexiconEntry"]


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


class FindingAcknowledgement(models.Model):
    """A warning (severity warn) that a 信息发布管理小组 member let through, with
    the reason (网站政务信息发布的管理规定 二(二)(四): the group reviews what goes
    online). Kept per revision, for the publication record."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("页面")
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("版本")
    )
    page_title = models.CharField(_("页面标题"), max_length=255)
    rule = models.CharField(_("规则"), max_length=64)
    source = models.CharField(_("位置"), max_length=255, blank=True)
    offset = models.PositiveIntegerField(_("偏移"))
    excerpt = models.CharField(_("摘录（已遮蔽）"), max_length=500)
    reason = models.TextField(_("确认理由"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("确认人")
    )
    acknowledged_at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("警告确认")
        verbose_name_plural = _("警告确认")
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "rule", "source", "offset"], name="screening_ack_unique_per_revision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.page_title}：{self.rule}"
