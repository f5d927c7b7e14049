"""Time-boxed read grants (网络安全管理办法 五(五) 对日志文件的访问要获得安全管理员的批准):
the shape every log with restricted reading shares — the audit log here, the device
logs in ``ggzy.devicelogs``. A reader asks for a purpose and a period, a 安全管理员 who
is not the reader decides, and the grant reads only while it is approved and valid.
Each model adds its own grantee and scope fields."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import GrantStatus


class AccessGrantBase(models.Model):
    purpose = models.TextField(_("查阅目的"))
    valid_from = models.DateTimeField(_("授权生效时间"))
    valid_until = models.DateTimeField(_("授权失效时间"))
    status = models.CharField(
        _("状态"), max_length=10, choices=GrantStatus.choices, default=GrantStatus.PENDING
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.grantee} {self.valid_from:%Y-%m-%d %H:%M}–{self.valid_until:%Y-%m-%d %H:%M}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == GrantStatus.APPROVED and self.valid_from <= now < self.valid_until


@transaction.atomic
def grant_decide(
    *, grant: AccessGrantBase, actor, approve: bool, note: str, action: str, data
) -> AccessGrantBase:
    """The 安全管理员's decision on a pending grant, never on their own request; audited
    as ``<action>.approved`` / ``<action>.rejected`` with ``data(grant)`` before and after.
    The caller has checked that the actor is a 安全管理员."""
    from .services import record

    grant = type(grant).objects.select_for_update().get(pk=grant.pk)
    if grant.status != GrantStatus.PENDING:
        raise ValidationError(gettext("该申请已处理。"))
    if grant.grantee_id == actor.pk:
        raise PermissionDenied(gettext("不得审批本人的申请。"))
    before: dict[str, Any] = data(grant)
    grant.status = GrantStatus.APPROVED if approve else GrantStatus.REJECTED
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.decision_note = note
    grant.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record(
        action=f"{action}.approved" if approve else f"{action}.rejected",
        actor=actor,
        obj=grant,
        before=before,
        after=data(grant),
    )
    return grant


def active_grant(grants: models.QuerySet, user, now=None):
    """The reader's grant that is approved and valid now (the one lasting longest), or None."""
    now = now or timezone.now()
    return (
        grants.filter(grantee=user, status=GrantStatus.APPROVED, valid_from__lte=now, valid_until__gt=now)
        .order_by("-valid_until")
        .first()
    )


@transaction.atomic
def grant_revoke(*, grant: AccessGrantBase, actor, action: str, data) -> AccessGrantBase:
    """The 安全管理员 ends an approved grant before its time; audited as
    ``<action>.revoked``. Only an approved grant can be revoked (a pending one is
    decided, a rejected or revoked one is over). The caller has checked the role."""
    from .services import record

    grant = type(grant).objects.select_for_update().get(pk=grant.pk)
    if grant.status != GrantStatus.APPROVED:
        raise ValidationError(gettext("只有已批准的授权可以撤销。"))
    before: dict[str, Any] = data(grant)
    grant.status = GrantStatus.REVOKED
    grant.save(update_fields=["status"])
    record(action=f"{action}.revoked", actor=actor, obj=grant, before=before, after=data(grant))
    return grant
