"""Compliance checks homed in the vault (registered in CredentialsConfig.ready())."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.compliance.registry import CheckResult, register_check

from .choices import CredentialStatus
from .models import Credential

LINKS = ((gettext_lazy("特权口令"), "/admin/credentials/"),)
DUE_SOON_DAYS = 14


def _names(rows) -> str:
    return _("、").join(rows[:5])


@register_check("mm.1.4")
def no_compromised_credential_unrotated(*, today: dt.date) -> CheckResult:
    """一(四): a credential reported leaked fails this check until two people rotate it."""
    leaked = list(
        Credential.objects.filter(status=CredentialStatus.COMPROMISED)
        .order_by("compromised_at")
        .values_list("name", flat=True)[:20]
    )
    if leaked:
        return CheckResult(
            "failing",
            _("%(n)d 个疑似泄密的口令尚未更换：%(names)s") % {"n": len(leaked), "names": _names(leaked)},
            LINKS,
        )
    return CheckResult("met", _("没有疑似泄密而未更换的口令"), LINKS)


@register_check("mm.1.3")
def credentials_rotated_on_schedule(*, today: dt.date) -> CheckResult:
    """一(三): no credential in use past its rotation date (or never set)."""
    live = Credential.objects.exclude(status=CredentialStatus.RETIRED)
    overdue = list(
        live.filter(rotation_due_on__lt=today).order_by("rotation_due_on").values_list("name", flat=True)[:20]
    )
    unset = list(live.filter(versions__isnull=True).order_by("name").values_list("name", flat=True)[:20])
    if overdue:
        return CheckResult(
            "overdue",
            _("%(n)d 个口令已过更换日期：%(names)s") % {"n": len(overdue), "names": _names(overdue)},
            LINKS,
        )
    if unset:
        return CheckResult(
            "due_soon",
            _("%(n)d 个口令已登记但尚未设定：%(names)s") % {"n": len(unset), "names": _names(unset)},
            LINKS,
        )
    soon = list(
        live.filter(rotation_due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        .order_by("rotation_due_on")
        .values_list("name", flat=True)[:20]
    )
    if soon:
        return CheckResult(
            "due_soon",
            _("%(n)d 个口令将在 %(d)d 天内到期更换：%(names)s")
            % {"n": len(soon), "d": DUE_SOON_DAYS, "names": _names(soon)},
            LINKS,
        )
    if not live.exists():
        return CheckResult("no_data", _("尚未登记特权口令"), LINKS)
    return CheckResult("met", _("所有口令均在更换周期内"), LINKS)
