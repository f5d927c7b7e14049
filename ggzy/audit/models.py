"""The audit log (网络安全管理办法 五): append-only, hash-chained events, signed
checkpoints, and the time-boxed grants under which the log may be read."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import action_label

from .choices import CheckpointKind, Outcome
from .grants import AccessGrantBase
from .guard import AuditImmutableError, purge_allowed

__all__ = ["AuditAccessGrant", "AuditChainHead", "AuditCheckpoint", "AuditEvent", "AuditReview"]

GENESIS_HASH = "0" * 64


# --------------------------------------------------------------------------- events


class AuditEventQuerySet(models.QuerySet):
    """No bulk path changes events; only the retention purge may delete."""

    def update(self, **kwargs):
        raise AuditImmutableError("audit events are append-only")

    def delete(self):
        if not purge_allowed():
            raise AuditImmutableError("audit events are deleted only by the retention purge")
        return super().delete()


class AuditEvent(models.Model):
    """One thing that happened: who, when, from where, what, to what, with what result.

    ``hash`` chains to the previous event's hash (``prev_hash``) so that an edit,
    a removal or an insertion anywhere breaks the chain (MLPS 2.0 level 3:
    protect audit records against deletion, modification and overwriting).
    Written only by ``ggzy.audit.services.record``.
    """

    seq = models.BigIntegerField(_("序号"), unique=True)
    time = models.DateTimeField(_("时间"), db_index=True)
    # The FK is a convenience for filtering; the copied user name is what the hash covers,
    # so the record stays meaningful after an account is removed.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("来源IP"), null=True, blank=True)
    request_id = models.CharField(_("请求ID"), max_length=64, blank=True)
    action = models.CharField(_("操作"), max_length=100, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    extra = models.JSONField(_("附加信息"), default=dict, blank=True)
    hash_alg = models.CharField(_("摘要算法"), max_length=10)
    # 1: plain digest (events from before the keyed chain); 2: HMAC with AUDIT_HMAC_KEY
    # (ggzy.audit.hashing). The database default is the old value, so rows that were
    # there at the migration, and any row inserted behind the app's back, are plain.
    chain_version = models.PositiveSmallIntegerField(_("链版本"), db_default=1)
    prev_hash = models.CharField(_("前一摘要"), max_length=64)
    hash = models.CharField(_("摘要"), max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        indexes = [
            models.Index(fields=["actor", "seq"], name="audit_event_actor_seq"),
            models.Index(fields=["action", "seq"], name="audit_event_action_seq"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutableError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not purge_allowed():
            raise AuditImmutableError("audit events are deleted only by the retention purge")
        return super().delete(*args, **kwargs)

    @property
    def action_label(self) -> str:
        """The Chinese label of the action (the catalogue, ``ggzy.core.actions``)."""
        return action_label(self.action)


class AuditChainHead(models.Model):
    """The single row (pk=1) that appends lock to serialise the chain.

    ``select_for_update`` on it orders concurrent writers on PostgreSQL; on
    SQLite the IMMEDIATE transaction mode does the same.
    """

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self) -> str:
        return f"head @{self.seq}"


class AuditCheckpoint(models.Model):
    """An HMAC-SHA256 over (seq, hash) with a key kept outside the database.

    Whoever can rewrite the database can recompute a plain hash chain; they
    cannot forge these without the key, so every event up to the newest
    checkpoint is anchored.
    """

    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    seq = models.BigIntegerField(_("序号"))
    hash = models.CharField(_("摘要"), max_length=64)
    kind = models.CharField(_("类型"), max_length=10, choices=CheckpointKind.choices)
    mac = models.CharField(_("签名"), max_length=64)

    class Meta:
        ordering = ["-seq", "-id"]
        verbose_name = _("审计检查点")
        verbose_name_plural = _("审计检查点")

    def __str__(self) -> str:
        return f"checkpoint {self.kind} @{self.seq}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutableError("audit checkpoints are append-only")
        super().save(*args, **kwargs)


# --------------------------------------------------------------------------- access


class AuditAccessGrant(AccessGrantBase):
    """网络安全管理办法 五(五): reading the log needs the 安全管理员's approval.

    The 审计管理员 asks for a period and a purpose; a 安全管理员 approves;
    the grant reads only within its validity and scope.
    """

    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="audit_grants",
        verbose_name=_("申请人"),
    )
    scope_action_prefix = models.CharField(
        _("范围（操作前缀）"),
        max_length=100,
        blank=True,
        help_text=_("留空表示全部操作，例如 accounts.login"),
    )
    scope_since = models.DateTimeField(_("事件起始时间"), null=True, blank=True)
    scope_until = models.DateTimeField(_("事件截止时间"), null=True, blank=True)

    class Meta(AccessGrantBase.Meta):
        verbose_name = _("审计日志查阅授权")
        verbose_name_plural = _("审计日志查阅授权")


class AuditReview(models.Model):
    """网络安全管理办法 五(三): the 审计管理员 records each periodic review and its findings."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("审查人")
    )
    period_start = models.DateTimeField(_("审查起始"))
    period_end = models.DateTimeField(_("审查截止"))
    findings = models.TextField(_("发现的问题"), blank=True)
    anomalies_seen = models.PositiveIntegerField(_("异常条数"), default=0)
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("日志审查记录")
        verbose_name_plural = _("日志审查记录")

    def __str__(self) -> str:
        return f"{self.reviewer} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"
