"""Staff departure (人员离岗离职信息安全管理规定): the departure and its checklist.

The tables were created by ``accounts`` (0003) when this module lived there;
``departures`` took them over without copying a row (migrations 0001-0003).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import DepartureItemKind, DepartureKind

__all__ = ["Departure", "DepartureItem"]


class Departure(models.Model):
    """A staff member leaving a post or the center (人员离岗离职信息安全管理规定).

    Started by the 系统管理员, which disables the account at once (第一条);
    closed only when every checklist item is signed off by the department
    head and the confidentiality obligation was acknowledged.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="departures",
        verbose_name=_("离岗离职人员"),
    )
    kind = models.CharField(_("类型"), max_length=20, choices=DepartureKind.choices)
    reason = models.TextField(_("说明"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("办理人（系统管理员）"),
    )
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    removed_groups = models.JSONField(_("已撤销的角色"), default=list, blank=True)
    # 第一条: the duty of confidentiality outlives the job; record when it was acknowledged.
    confidentiality_acknowledged_on = models.DateField(_("保密义务确认日期"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("办结人"),
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("离岗离职")
        verbose_name_plural = _("离岗离职")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(closed_at__isnull=True),
                name="departures_one_open_departure",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class DepartureItem(models.Model):
    """One handover item (第二条) or return (第三条), signed off by the department head."""

    departure = models.ForeignKey(Departure, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("事项"), max_length=30, choices=DepartureItemKind.choices)
    description = models.CharField(_("明细"), max_length=200, blank=True)
    done_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("确认人"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("交接事项")
        verbose_name_plural = _("交接事项")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.description}".strip()

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
