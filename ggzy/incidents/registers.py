"""The readiness registers of the emergency plan, kept in the admin: the contacts
roster (第十条), reserve equipment (第十一条), the support teams (第十三条), drills
(第十六条) and education and training (第十四–十五条). One table declares each
register; one service writes them (validated by a model form, audited with the
changed fields); the 安全管理员 keeps them, every responder and reader sees them."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.audit import services as audit
from ggzy.core.validators import ControlCharacterFormMixin

from .models import Contact, Drill, ReserveEquipment, SupportTeam, Training
from .permissions import can_keep_registers


@dataclass(frozen=True)
class Register:
    key: str
    model: type[models.Model]
    fields: tuple[str, ...]
    label: str
    clause: str
    columns: tuple[str, ...]


REGISTERS = {
    r.key: r
    for r in (
        Register(
            "contacts",
            Contact,
            (
                "name",
                "group",
                "position",
                "is_lead",
                "phone",
                "phone_backup",
                "email",
                "user",
                "on_duty",
                "active",
            ),
            gettext_lazy("应急联系人"),
            gettext_lazy("应急预案 第十条：建立 24 小时值班联系表，领导小组成员手机 24 小时开机。"),
            ("name", "group", "position", "phone", "on_duty", "active"),
        ),
        Register(
            "reserve",
            ReserveEquipment,
            ("item", "quantity", "location", "keeper", "condition", "checked_on"),
            gettext_lazy("备用设备"),
            gettext_lazy("应急预案 第十一条：储备必要的备用设备和软件，专人保管维护。"),
            ("item", "quantity", "location", "keeper", "checked_on"),
        ),
        Register(
            "teams",
            SupportTeam,
            ("name", "kind", "scope", "contact_name", "phone", "email", "contract_ref", "active"),
            gettext_lazy("应急支援队伍"),
            gettext_lazy("应急预案 第十三条：建立应急技术支援队伍。"),
            ("name", "kind", "contact_name", "phone", "active"),
        ),
        Register(
            "drills",
            Drill,
            ("scenario", "held_on", "participants", "timeline", "findings"),
            gettext_lazy("应急演练"),
            gettext_lazy("应急预案 第十六条：定期组织应急演练。"),
            ("held_on", "scenario", "findings"),
        ),
        Register(
            "trainings",
            Training,
            ("kind", "title", "held_on", "attendees", "attendance", "notes"),
            gettext_lazy("安全教育与培训"),
            gettext_lazy("应急预案 第十四、十五条：开展网络与信息安全教育和培训。"),
            ("held_on", "kind", "title", "attendance"),
        ),
    )
}


def form_class(register: Register) -> type[forms.ModelForm]:
    widgets = {
        name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        for name in register.fields
        if isinstance(register.model._meta.get_field(name), models.DateField)
    }
    return forms.modelform_factory(
        register.model,
        form=type("RegisterForm", (ControlCharacterFormMixin, forms.ModelForm), {}),
        fields=register.fields,
        widgets=widgets,
    )


def _values(instance, fields) -> dict:
    return {
        name: str(getattr(instance, name) if getattr(instance, name) is not None else "") for name in fields
    }


def register_save(*, register: Register, instance: models.Model | None, data: dict, actor) -> models.Model:
    """Create or change one row of a register; the form's errors as ValidationError."""
    if not can_keep_registers(actor):
        raise PermissionDenied(_("应急预案的登记表由安全管理员维护。"))
    # Read before validating: the model form writes the posted values onto the instance.
    before = _values(instance, register.fields) if instance is not None else None
    form = form_class(register)(data, instance=instance)
    if not form.is_valid():
        raise ValidationError(form.errors)
    with transaction.atomic():
        row = form.save()
        after = _values(row, register.fields)
        audit.record(
            action="incidents.register.saved",
            actor=actor,
            obj=row,
            register=register.key,
            before={k: v for k, v in (before or {}).items() if after.get(k) != v} if before else None,
            after={k: v for k, v in after.items() if not before or before.get(k) != v},
        )
    return row
