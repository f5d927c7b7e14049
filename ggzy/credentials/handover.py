"""The passwords a departing person could see, each to be changed (人员离岗离职信息
安全管理规定 第二条(一)、第三条; 密码、口令管理制度 一(三)). Registered with departures'
handover registry: the departure cannot close until every credential the person
held, revealed or typed in has been changed since the departure began."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ggzy.departures.handover import HandoverEntry, register_handover_source
from ggzy.departures.models import Departure

from .selectors import credentials_to_rotate_for


def credentials_to_change(user) -> list[HandoverEntry]:
    departure = Departure.objects.filter(user=user).order_by("-started_at").first()
    since = departure.started_at if departure else None
    entries = []
    for credential in credentials_to_rotate_for(user).select_related("department"):
        if credential.last_rotated_at is None:
            outstanding, status = False, _("尚未设定口令")  # nothing was there to see
        elif since is not None and credential.last_rotated_at >= since:
            outstanding, status = False, _("已更换")
        else:
            outstanding, status = True, _("待更换")
        entries.append(
            HandoverEntry(
                source=_("特权口令"),
                label=credential.name,
                detail=f"{credential.username}@{credential.target}（{credential.department.name}）",
                url=reverse("credentials:inspect", args=[credential.pk]),
                outstanding=outstanding,
                status=status,
            )
        )
    return entries


register_handover_source("credentials", credentials_to_change)
