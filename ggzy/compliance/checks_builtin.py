"""Live checks compliance writes itself: the audit log (below compliance, read
through ggzy.audit) and the password/MFA policy (ggzy.accounts).

Checks are cheap (bounded queries) and never write.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ggzy.accounts.models import (
    HISTORY_FLOOR,
    OFFICE_MIN_LENGTH_FLOOR,
    PRIVILEGED_MIN_LENGTH_FLOOR,
    PUBLISHING_MIN_CLASSES_FLOOR,
    PasswordPolicy,
    User,
)
from ggzy.accounts.passwords import ADMIN_ROLES, PUBLISHING_ROLES
from ggzy.audit.models import AuditEvent
from ggzy.audit.verify import verify_chain

from .choices import Status
from .registry import CheckResult, register_check

# 网络安全管理办法 五(四) says 3 months; the Cybersecurity Law art. 21 says 6: check the stricter.
AUDIT_MIN_RETENTION_DAYS = 180
# The chain is verified over the most recent day here (bounded); the full walk is `audit_verify`.
AUDIT_VERIFY_WINDOW = dt.timedelta(days=1)


@register_check("wlaq.5.4", "wlaq.5.2")
def audit_log_verified_and_kept(*, today: dt.date) -> CheckResult:
    """网络安全管理办法 五(四)/五(二): the audit log is intact and kept ≥ 6 months."""
    retention = settings.AUDIT_RETENTION_DAYS
    if retention < AUDIT_MIN_RETENTION_DAYS:
        return CheckResult(
            Status.FAILING,
            _("审计日志保存期为 %(days)s 天，低于 %(floor)s 天（6 个月，网络安全法第二十一条）")
            % {"days": retention, "floor": AUDIT_MIN_RETENTION_DAYS},
        )
    first = AuditEvent.objects.order_by("seq").values_list("time", flat=True).first()
    if first is None:
        return CheckResult(Status.NO_DATA, _("审计日志中还没有事件"))
    since = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC) - AUDIT_VERIFY_WINDOW
    # verify_chain(since=…) wants a predecessor before ``since``: a log younger than
    # the window is walked whole (it is small then).
    result = verify_chain(since=since if first < since else None)
    if not result.ok:
        return CheckResult(
            Status.FAILING,
            _("审计日志校验失败：%(message)s") % {"message": result.message},
            [(_("审计日志"), "/admin/audit/")],
        )
    return CheckResult(
        Status.MET,
        _("审计日志链完整（近一日 %(count)s 条），保存期 %(days)s 天")
        % {"count": result.count, "days": retention},
        [(_("审计日志"), "/admin/audit/")],
    )


def _key_accounts():
    """Active accounts that need a second factor: administrators and publishing roles."""
    roles = {str(r) for r in PUBLISHING_ROLES | ADMIN_ROLES}
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__role__key__in=roles))
        .distinct()
    )


@register_check("mm.2.1", "wlaq.7.3", "wlaq.3.4")
def password_policy_and_mfa(*, today: dt.date) -> CheckResult:
    """密码、口令管理制度 二(一): the per-role floors are in force; 网络安全管理办法 七(三):
    no administrator or publishing account without a second factor."""
    policy = PasswordPolicy.load()
    below = [
        label
        for label, value, floor in (
            (_("办公人员最小长度"), policy.office_min_length, OFFICE_MIN_LENGTH_FLOOR),
            (_("信息发布人员最小长度"), policy.publishing_min_length, PRIVILEGED_MIN_LENGTH_FLOOR),
            (_("信息发布人员字符种类"), policy.publishing_min_classes, PUBLISHING_MIN_CLASSES_FLOOR),
            (_("管理员最小长度"), policy.admin_min_length, PRIVILEGED_MIN_LENGTH_FLOOR),
            (_("历史密码数"), policy.history_count, HISTORY_FLOOR),
        )
        if value < floor
    ]
    if below:
        return CheckResult(
            Status.FAILING, _("密码策略低于制度下限：%(items)s") % {"items": _("、").join(below)}
        )
    without = _key_accounts().exclude(Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
    used = list(without.filter(last_login__isnull=False).values_list("username", flat=True)[:6])
    if used:
        names = _("、").join(used[:5]) + (_("等") if len(used) > 5 else "")
        return CheckResult(
            Status.FAILING, _("以下管理或信息发布账号未启用双因素认证：%(names)s") % {"names": names}
        )
    pending = without.count()
    if pending:
        return CheckResult(
            Status.DUE_SOON,
            _("%(count)s 个管理或信息发布账号尚未首次登录，登录时须启用双因素认证") % {"count": pending},
        )
    return CheckResult(Status.MET, _("密码策略不低于制度下限，管理和信息发布账号均已启用双因素认证"))
