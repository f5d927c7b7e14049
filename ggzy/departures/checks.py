"""Live check for 人员离岗离职信息安全管理规定, registered with compliance
(imported in DeparturesConfig.ready())."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from ggzy.compliance.choices import Status
from ggzy.compliance.registry import CheckResult, register_check
from ggzy.core.calendar import add_working_days, load_calendar

from .choices import DepartureKind
from .models import Departure

# The regulation says 即时 (第一条) for the access and 离岗离职时 for the handover;
# ggzy reads "at the time" as within this many working days of starting the departure.
HANDOVER_WORKING_DAYS = 5


@register_check("lz.1", "lz.2", "lz.2.1", "lz.2.2", "lz.2.3", "lz.3")
def departed_accounts_disabled(*, today: dt.date) -> CheckResult:
    """Every departed person's account is disabled and the handover completed in time."""
    active_open = Departure.objects.filter(closed_at__isnull=True, user__is_active=True)
    active_gone = Departure.objects.filter(kind=DepartureKind.RESIGNATION, user__is_active=True)
    names = sorted(
        set(active_open.values_list("user__username", flat=True)[:5])
        | set(active_gone.values_list("user__username", flat=True)[:5])
    )
    if names:
        return CheckResult(
            Status.FAILING, _("离岗离职人员账号仍处于启用状态：%(names)s") % {"names": _("、").join(names)}
        )
    open_departures = list(
        Departure.objects.filter(closed_at__isnull=True)
        .order_by("started_at")
        .values_list("user__username", "started_at")[:200]
    )
    if not open_departures:
        return CheckResult(Status.MET, _("离岗离职人员账号均已停用，交接均已办结"))
    calendar = load_calendar()
    late = [
        name
        for name, started in open_departures
        if add_working_days(timezone.localdate(started), HANDOVER_WORKING_DAYS, calendar=calendar).date
        < today
    ]
    if late:
        return CheckResult(
            Status.OVERDUE,
            _("交接超过 %(days)s 个工作日未办结：%(names)s")
            % {"days": HANDOVER_WORKING_DAYS, "names": _("、").join(late[:5])},
            [(_("离岗离职"), "/admin/departures/")],
        )
    return CheckResult(
        Status.DUE_SOON,
        _("%(count)s 人的离岗离职交接正在办理（账号已停用）") % {"count": len(open_departures)},
        [(_("离岗离职"), "/admin/departures/")],
    )
