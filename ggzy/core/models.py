"""Shared reference data: the statutory holiday / make-up working day calendar."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["CalendarDay", "CalendarYear"]


class CalendarYear(models.Model):
    """A year whose State Council holiday arrangement (节假日安排) is recorded.

    Working-day arithmetic into a year without a row here still runs (Monday to
    Friday) but is flagged, never silently trusted.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("节假日安排年度")
        verbose_name_plural = _("节假日安排年度")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to the Monday–Friday rule: a statutory holiday or a 调休 make-up working day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日（休息）")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=60, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class RateCounter(models.Model):
    """Calls per key and time window, shared by every worker process (issue 14 item 12).

    The embedded default (no Redis): gunicorn's workers each had their own local
    memory cache, so three workers let three times the limit through. One row per
    key and window, incremented with an atomic UPDATE (ggzy.core.ratelimit).
    """

    key = models.CharField(max_length=200)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="core_ratecounter_key_window")]

    def __str__(self) -> str:
        return f"{self.key}@{self.window}: {self.count}"
