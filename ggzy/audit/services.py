"""Writes for the audit app: recording events, checkpoints, access grants, reviews.

``record`` is what every other app calls, inside its own transaction, right
after the change it records (ARCHITECTURE: writes go through services).
"""

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.accounts.choices import RoleKey
from ggzy.core.actions import ACTION_NAME, is_registered
from ggzy.core.snapshots import snapshot
from ggzy.core.validators import storable_text

from . import context, grants, offsite
from .choices import CheckpointKind, Outcome
from .hashing import CURRENT_CHAIN_VERSION, current_algorithm, event_hash, scrub, sign
from .models import AuditAccessGrant, AuditChainHead, AuditCheckpoint, AuditEvent, AuditReview
from .verify import checkpoint_message

GRANT_MAX_PERIOD = timedelta(days=31)

# --------------------------------------------------------------------------- recording


def _object_fields(obj: Any) -> dict[str, str]:
    if obj is None:
        return {}
    meta = getattr(obj, "_meta", None)
    object_type = f"{meta.app_label}.{meta.model_name}" if meta else type(obj).__name__
    return {
        "object_type": object_type,
        "object_id": storable_text(str(getattr(obj, "pk", "") or "")),
        "object_repr": storable_text(str(obj))[:255],
    }


def record(
    *,
    action: str,
    actor: Any = None,
    obj: Any = None,
    outcome: str = Outcome.SUCCESS,
    before: Any = None,
    after: Any = None,
    request: Any = None,
    actor_username: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
    **extra: Any,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    ``actor`` defaults to the signed-in user of the current request. Secrets
    (keys like password, token, secret, otp) are dropped from before/after/extra.
    网络安全管理办法 五(二): who, when, and what they did. ``action`` must be
    registered in the catalogue (``ggzy.core.actions.register_actions``).
    """
    if not ACTION_NAME.match(action):
        raise ValueError(f"audit action must be namespaced app.object.verb, got {action!r}")
    if not is_registered(action):
        # The catalogue (ggzy.core.actions): every name has a Chinese label for the reader.
        raise ValueError(f"audit action {action!r} is not registered (see ggzy/<app>/audit_actions.py)")
    if outcome not in Outcome.values:
        raise ValueError(f"unknown outcome {outcome!r}")
    ctx = context.context_for(request) if request is not None else context.current()
    if actor is None and ctx is not None and ctx.request is not None:
        user = getattr(ctx.request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if actor is not None and not getattr(actor, "is_authenticated", True):
        actor = None
    if actor_username is None:
        actor_username = actor.get_username() if actor is not None else ""
    fields: dict[str, Any] = {
        "actor_username": storable_text(actor_username)[:150],
        "ip": ctx.ip if ctx else None,
        "request_id": ctx.request_id if ctx else "",
        "action": action,
        "object_type": "",
        "object_id": "",
        "object_repr": "",
        "outcome": str(outcome),
        "before": scrub(before) if before is not None else None,
        "after": scrub(after) if after is not None else None,
        "extra": scrub(extra),
        "hash_alg": current_algorithm(),
        "chain_version": CURRENT_CHAIN_VERSION,  # keyed (issue 14 item 9)
    }
    fields.update(_object_fields(obj))
    for name, value in (("object_type", object_type), ("object_id", object_id), ("object_repr", object_repr)):
        if value is not None:
            fields[name] = storable_text(str(value))[: AuditEvent._meta.get_field(name).max_length]
    # No savepoint: a failed append must fail the caller's whole transaction anyway,
    # and two fewer round trips keep recording at about a millisecond.
    with transaction.atomic(savepoint=False):
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        fields["seq"] = head.seq + 1
        fields["prev_hash"] = head.hash
        # Taken under the lock so that time follows seq on one database clock's writers.
        fields["time"] = timezone.now()
        fields["hash"] = event_hash(fields)
        event = AuditEvent(actor=actor, **fields)
        event.save(force_insert=True)
        AuditChainHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    return event


# --------------------------------------------------------------------------- checkpoints


@transaction.atomic
def checkpoint_create(*, kind: str = CheckpointKind.PERIODIC) -> AuditCheckpoint:
    """Sign the current chain head (网络安全管理办法 五(四), MLPS: tamper evidence)."""
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    checkpoint = AuditCheckpoint.objects.create(
        seq=head.seq, hash=head.hash, kind=kind, mac=sign(checkpoint_message(head.seq, head.hash))
    )
    # Off the box as well (to syslog): a database rolled back to before this
    # checkpoint is then detectable against the collector's copy.
    transaction.on_commit(lambda: offsite.send_checkpoint(checkpoint))
    return checkpoint


# --------------------------------------------------------------------------- access grants


def _require_role(user, key: str, message: str) -> None:
    # Roles, not has_perm: the bootstrap superuser is a 系统管理员 and must not pass (三权分立).
    if user is None or not user.is_authenticated or not user.has_role(key):
        raise PermissionDenied(message)


@transaction.atomic
def grant_request(
    *,
    actor,
    purpose: str,
    valid_from: datetime,
    valid_until: datetime,
    scope_action_prefix: str = "",
    scope_since: datetime | None = None,
    scope_until: datetime | None = None,
) -> AuditAccessGrant:
    """The 审计管理员 asks to read the log for a purpose and a period."""
    _require_role(actor, RoleKey.AUDIT_ADMIN, _("只有审计管理员可以申请查阅审计日志。"))
    if not purpose.strip():
        raise ValidationError(_("请填写查阅目的。"))
    if valid_until <= valid_from:
        raise ValidationError(_("授权失效时间必须晚于生效时间。"))
    if valid_until - valid_from > GRANT_MAX_PERIOD:
        # Grants are time-boxed (网络安全管理办法 五(五)): a standing grant would be no approval at all.
        raise ValidationError(_("单次授权期限不得超过 %(days)s 天。") % {"days": GRANT_MAX_PERIOD.days})
    grant = AuditAccessGrant.objects.create(
        grantee=actor,
        purpose=purpose.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        scope_action_prefix=scope_action_prefix.strip(),
        scope_since=scope_since,
        scope_until=scope_until,
    )
    record(action="audit.grant.requested", actor=actor, obj=grant, after=_grant_data(grant))
    return grant


def _grant_data(grant: AuditAccessGrant) -> dict[str, Any]:
    return snapshot(
        grant,
        (
            "grantee",
            "purpose",
            "scope_action_prefix",
            "scope_since",
            "scope_until",
            "valid_from",
            "valid_until",
            "status",
        ),
    )


@transaction.atomic
def grant_decide(*, grant: AuditAccessGrant, actor, approve: bool, note: str = "") -> AuditAccessGrant:
    """网络安全管理办法 五(五): the 安全管理员 approves (or refuses) access to the log."""
    _require_role(actor, RoleKey.SECURITY_ADMIN, _("只有安全管理员可以审批审计日志查阅申请。"))
    return grants.grant_decide(
        grant=grant, actor=actor, approve=approve, note=note, action="audit.grant", data=_grant_data
    )


def grant_revoke(*, grant: AuditAccessGrant, actor) -> AuditAccessGrant:
    _require_role(actor, RoleKey.SECURITY_ADMIN, _("只有安全管理员可以撤销授权。"))
    return grants.grant_revoke(grant=grant, actor=actor, action="audit.grant", data=_grant_data)


# --------------------------------------------------------------------------- reviews


@transaction.atomic
def review_record(
    *, actor, period_start: datetime, period_end: datetime, findings: str, anomalies_seen: int = 0
) -> AuditReview:
    """网络安全管理办法 五(三): the periodic look at the log, and what it found."""
    _require_role(actor, RoleKey.AUDIT_ADMIN, _("只有审计管理员可以记录日志审查。"))
    review = AuditReview.objects.create(
        reviewer=actor,
        period_start=period_start,
        period_end=period_end,
        findings=findings,
        anomalies_seen=anomalies_seen,
    )
    record(
        action="audit.review.recorded",
        actor=actor,
        obj=review,
        after=snapshot(review, ("period_start", "period_end", "findings", "anomalies_seen")),
    )
    return review
