"""The readiness registers of the emergency plan, kept in the admin: the contacts
roster (第十条), reserve equipment (第十一条), the support teams (第十三条), drills
(第十六条) and education and training (第十四–十五条). One table declares each
register; one service writes them (validated by a model form, audited with the
changed fields); the 安全管理员 keeps them, every responder and reader sees them."""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.compliance.choices import OPEN_STATES
from ggzy.compliance.models import Occurrence
from ggzy.compliance.registers import Register, RegisterForm, RegisterSet, record_rows
from ggzy.compliance.services import occurrence_complete
from ggzy.core.pdf import CJK_FONT_STACK, html_to_pdf

from .models import Contact, Drill, Incident, ReserveEquipment, SupportTeam, Training
from .permissions import can_keep_registers, can_view


class DrillForm(RegisterForm):
    """第十六条: a drill links only a drill incident no other drill has claimed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        free = (
            Q(drill__isnull=True) | Q(drill=self.instance.pk) if self.instance.pk else Q(drill__isnull=True)
        )
        self.fields["incident"].queryset = Incident.objects.filter(free, is_drill=True).order_by(
            "-detected_at"
        )


READINESS = RegisterSet(
    app="incidents",
    path="incidents/registers",
    audit_action="incidents.register.saved",
    may_see=can_view,
    may_keep=lambda user, register, row: can_keep_registers(user),
    refusal=gettext_lazy("应急预案的登记表由安全管理员维护。"),
    registers=(
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
            (
                "scenario",
                "held_on",
                "participants",
                "timeline",
                "findings",
                "problems_found",
                "plan_updated",
                "incident",
            ),
            gettext_lazy("应急演练"),
            gettext_lazy(
                "应急预案 第十六条：每年至少安排一次演练。"
                "已举行的演练保存后，自动作为当年“年度应急预案演练”义务的凭证提交。"
            ),
            ("held_on", "scenario", "problems_found", "incident", "occurrence"),
            related=("incident", "occurrence__obligation"),
            base_form=DrillForm,
        ),
        Register(
            "trainings",
            Training,
            ("kind", "title", "held_on", "attendees", "attendance", "notes"),
            gettext_lazy("安全教育与培训"),
            gettext_lazy(
                "应急预案 第十四、十五条：每年至少开展一次安全教育和一次培训。"
                "已举行的保存后，自动作为当年对应年度义务的凭证提交。"
            ),
            ("held_on", "kind", "title", "attendance", "occurrence"),
            related=("occurrence__obligation",),
        ),
    ),
)
REGISTERS = READINESS.by_key


def form_class(register: Register):
    return register.form_class()


def register_save(*, register: Register, instance, data, actor):
    """Create or change one row of a readiness register (compliance.registers)."""
    return READINESS.save(register=register, instance=instance, data=data, actor=actor)


# --------------------------------------------------------------------------- yearly evidence

# 第十四–十六条 每年至少一次: which yearly obligation a held record is evidence of, and
# the obligation's checklist answers taken from the record.
YEARLY_EVIDENCE = {
    "drills": lambda row: (
        "yjya-drill",
        {"problems": row.problems_found, "plan_updated": row.plan_updated},
    ),
    "trainings": lambda row: (f"yjya-{row.kind}", {"attendees": row.attendance}),
}


def record_pdf(register: Register, row) -> bytes:
    html = render_to_string(
        "incidents/record_pdf.html",
        {
            "title": register.label,
            "clause": register.clause,
            "rows": record_rows(register, row),
            "row": row,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "font_stack": CJK_FONT_STACK,
            "printed_at": timezone.localtime(),
        },
    )
    return html_to_pdf(html)


def register_submit_evidence(*, register: Register, row, actor) -> Occurrence | None:
    """Submit a held drill or training as the evidence of its year's obligation: the
    record as a PDF, the checklist answered from it (compliance.occurrence_complete,
    which checks, stores and audits it). None when there is nothing to fulfil: a
    record of another register, a planned (future) one, one already submitted, or a
    year whose occurrence is done, waived or not generated."""
    spec = YEARLY_EVIDENCE.get(register.key)
    if spec is None or row.occurrence_id or row.held_on > timezone.localdate():
        return None
    key, answers = spec(row)
    occurrence = (
        Occurrence.objects.filter(obligation__key=key, state__in=OPEN_STATES, due_on__year=row.held_on.year)
        .order_by("due_on")
        .first()
    )
    if occurrence is None:
        return None
    upload = ContentFile(record_pdf(register, row), name=f"{register.key}-{row.held_on:%Y%m%d}-{row.pk}.pdf")
    done = occurrence_complete(
        occurrence=occurrence,
        actor=actor,
        answers=answers,
        comment=_("由%(register)s登记自动提交：%(row)s") % {"register": register.label, "row": row},
        files=[upload],
    )
    register.model.objects.filter(pk=row.pk).update(occurrence=done)
    row.occurrence = done
    return done
