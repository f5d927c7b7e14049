"""The screen register (网络设备管理制度 第三条), kept through the compliance register
screens: one form, one audited writing service (``screens.register.saved`` with the
changed fields), the 机房管理员 alone writes (``rules``). A saved change rewrites the
screens' files once committed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ggzy.compliance.registers import Register, RegisterForm, RegisterSet

from . import rules
from .models import Screen
from .publish import publish_on_commit

FIELDS = (
    "name",
    "room",
    "location",
    "show_openings",
    "show_publicity",
    "show_notices",
    "scroll_speed",
    "refresh_seconds",
    "offline_minutes",
    "enabled",
)


class ScreenForm(RegisterForm):
    """The model's own checks (at least one section; threshold ≥ 2 refresh intervals)."""


def _republish(*, row, actor, created):
    publish_on_commit()


SCREENS = RegisterSet(
    app="screens",
    path="screens/registers",
    audit_action="screens.register.saved",
    may_see=rules.may_see,
    may_keep=rules.may_keep,
    refusal=gettext_lazy("电子屏登记由机房管理员维护。"),
    registers=(
        Register(
            "screens",
            Screen,
            FIELDS,
            gettext_lazy("电子屏"),
            gettext_lazy(
                "网络设备管理制度 第三条：电子屏是须定期维护的重要设施，超过离线阈值未取数即列为离线并告警；"
                "第九条：电子屏只显示经审核发布的交易公告和通知，此处不能录入任何显示内容。"
            ),
            ("name", "room", "location", "enabled"),
            related=("room",),
            base_form=ScreenForm,
            after_save=_republish,
        ),
    ),
)
