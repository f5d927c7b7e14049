"""The compliance backbone (issue 21): clauses, their homes, obligations and evidence."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ggzy.accounts.choices import RoleKey

from .choices import EvidenceKind, Home, NonWorkingDay, OccurrenceState, Regulation, Status

__all__ = [
    "CalendarFeed",
    "Clause",
    "ClauseSnapshot",
    "FollowUp",
    "Obligation",
    "Occurrence",
    "OccurrenceAttachment",
]


class Clause(models.Model):
    """One numbered provision of the 11 regulations (data/clauses.json is the source)."""

    key = models.CharField(_("编号"), max_length=40, unique=True)  # e.g. wlaq.4.1
    citation = models.CharField(_("条款"), max_length=120)  # 网络安全管理办法 四(一)
    regulation = models.CharField(_("制度"), max_length=10, choices=Regulation.choices, db_index=True)
    heading = models.CharField(_("章节"), max_length=120, blank=True)
    text = models.TextField(_("原文"))
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    home = models.CharField(_("落实方式"), max_length=20, choices=Home.choices, default=Home.UNHOMED)
    # enforced: test node ids; checked: check names; evidenced: obligation keys.
    home_refs = models.JSONField(_("落实依据"), default=list, blank=True)
    justification = models.CharField(_("原则性条款说明"), max_length=300, blank=True)
    # Where the text is ambiguous: how ggzy reads it (shown on the dashboard).
    reading_note = models.TextField(_("理解说明"), blank=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("制度条款")
        verbose_name_plural = _("制度条款")

    def __str__(self) -> str:
        return self.citation


class Obligation(models.Model):
    """A recurring duty with a checklist and evidence (e.g. 应急预案 第十六条: a drill a year)."""

    key = models.SlugField(_("编号"), max_length=60, unique=True)
    title = models.CharField(_("名称"), max_length=200)
    clauses = models.ManyToManyField(Clause, related_name="obligations", verbose_name=_("条款"))
    owner_role = models.CharField(_("责任角色"), max_length=40, choices=RoleKey.choices)
    # RFC 5545 RRULE (without DTSTART), parsed with dateutil.rrule.
    rrule = models.CharField(_("重复规则"), max_length=300)
    starts_on = models.DateField(_("起始日期"))
    non_working_day = models.CharField(
        _("非工作日处理"), max_length=10, choices=NonWorkingDay.choices, default=NonWorkingDay.PREVIOUS
    )
    # [{"key", "label", "type": yes_no|number|text, "min", "max", "expected", "required"}]
    checklist = models.JSONField(_("检查清单"), default=list, blank=True)
    evidence = models.CharField(_("所需凭证"), max_length=10, choices=EvidenceKind.choices)
    due_soon_days = models.PositiveSmallIntegerField(_("提前提示天数"), default=7)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("定期义务")
        verbose_name_plural = _("定期义务")

    def __str__(self) -> str:
        return self.title


class Occurrence(models.Model):
    """One due instance of an obligation, and — once done — its record."""

    obligation = models.ForeignKey(
        Obligation, on_delete=models.PROTECT, related_name="occurrences", verbose_name=_("义务")
    )
    due_on = models.DateField(_("到期日"), db_index=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=OccurrenceState.choices, default=OccurrenceState.DUE, db_index=True
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("完成人"),
    )
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    answers = models.JSONField(_("检查结果"), default=dict, blank=True)
    findings = models.JSONField(_("发现项"), default=list, blank=True)
    comment = models.TextField(_("说明"), blank=True)
    waiver_reason = models.TextField(_("豁免原因"), blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("批准豁免人"),
    )
    reminded_on = models.DateField(_("最近提醒日期"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("义务待办")
        verbose_name_plural = _("义务待办")
        constraints = [
            models.UniqueConstraint(fields=["obligation", "due_on"], name="compliance_one_occurrence_per_day")
        ]
        indexes = [models.Index(fields=["obligation", "state", "due_on"])]

    def __str__(self) -> str:
        return f"{self.obligation} {self.due_on:%Y-%m-%d}"


class OccurrenceAttachment(models.Model):
    """Evidence for an occurrence, stored with its SHA-256."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.PROTECT, related_name="attachments")
    # The checklist item a photo shows (机房 四: each item may take a photo); "" for the
    # occurrence's own evidence.
    item_key = models.CharField(_("检查项"), max_length=60, blank=True)
    file = models.FileField(_("文件"), upload_to="compliance/evidence/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("凭证")
        verbose_name_plural = _("凭证")

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]})"


class FollowUp(models.Model):
    """A follow-up action on an occurrence done with findings (issue 21 §2): what is
    to be done, by whom, by when; tracked until closed. While one is open — or a
    latest occurrence with findings has none — its clauses stay failing."""

    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.PROTECT, related_name="followups", verbose_name=_("义务待办")
    )
    # The checklist item whose finding it answers ("" = the findings as a whole).
    finding_key = models.CharField(_("发现项"), max_length=60, blank=True)
    action = models.CharField(_("整改措施"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任人")
    )
    due_on = models.DateField(_("完成期限"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("制定人")
    )
    created_at = models.DateTimeField(_("制定时间"))
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True, db_index=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("关闭人"),
    )
    closing_note = models.TextField(_("整改结果"), blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("整改措施")
        verbose_name_plural = _("整改措施")

    def __str__(self) -> str:
        return self.action

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ClauseSnapshot(models.Model):
    """A clause's status on a day (the dashboard's trend)."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="snapshots")
    day = models.DateField(_("日期"), db_index=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices)
    detail = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["-day", "clause_id"]
        verbose_name = _("条款状态快照")
        verbose_name_plural = _("条款状态快照")
        constraints = [
            models.UniqueConstraint(fields=["clause", "day"], name="compliance_one_snapshot_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.clause} {self.day} {self.status}"


class CalendarFeed(models.Model):
    """A user's iCalendar feed of their duties (issue 21 §2): the secret URL token is
    shown once and stored only as its SHA-256; regenerating replaces it, revoking
    deletes the row."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="compliance_calendar_feed"
    )
    token_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("日历订阅")
        verbose_name_plural = _("日历订阅")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
