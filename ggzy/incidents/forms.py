"""The incident's edit form: what was known later (type, severity, owner, affected
systems) and what it is linked to — devices and assets by their numbers, the audit
events involved by their ids."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.accounts.models import User
from ggzy.core.validators import ControlCharacterFormMixin

from .choices import IncidentType, Severity
from .links import all_link_kinds
from .models import Incident

MAX_LINES = 50


def _link_field_name(kind_key: str) -> str:
    return "links_" + kind_key.replace(".", "_")


class IncidentEditForm(ControlCharacterFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200)
    incident_type = forms.ChoiceField(label=gettext_lazy("事件类型"), choices=IncidentType.choices)
    severity = forms.ChoiceField(label=gettext_lazy("事件级别"), choices=Severity.choices)
    owner = forms.ModelChoiceField(
        label=gettext_lazy("负责人"), queryset=User.objects.filter(is_active=True).order_by("username")
    )
    description = forms.CharField(label=gettext_lazy("情况描述"), widget=forms.Textarea, required=False)
    affected_systems = forms.CharField(
        label=gettext_lazy("受影响的系统和设备"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    audit_event_seqs = forms.CharField(
        label=gettext_lazy("相关审计事件序号"),
        required=False,
        help_text=gettext_lazy("审计日志中的事件序号，以逗号或空格分隔；审计管理员凭授权按序号查阅。"),
    )

    def __init__(self, *args, incident: Incident, **kwargs):
        initial = {
            "title": incident.title,
            "incident_type": incident.incident_type,
            "severity": incident.severity,
            "owner": incident.owner_id,
            "description": incident.description,
            "affected_systems": incident.affected_systems,
            "audit_event_seqs": " ".join(str(i) for i in incident.audit_event_seqs),
        }
        for key in all_link_kinds():
            initial[_link_field_name(key)] = "\n".join(x["key"] for x in incident.links if x["kind"] == key)
        super().__init__(*args, initial=initial, **kwargs)
        for key, kind in all_link_kinds().items():
            self.fields[_link_field_name(key)] = forms.CharField(
                label=_("关联的%(label)s（每行一个）") % {"label": kind.label},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )

    def clean_audit_event_seqs(self) -> list[int]:
        text = self.cleaned_data["audit_event_seqs"].strip()
        parts = [p for p in re.split(r"[\s,，、]+", text) if p]
        if any(not p.isdigit() for p in parts):
            raise forms.ValidationError(_("审计事件序号只能是数字。"))
        if len(parts) > MAX_LINES:
            raise forms.ValidationError(_("最多关联 %(n)d 个审计事件。") % {"n": MAX_LINES})
        return [int(p) for p in parts]

    def changes(self) -> dict:
        data = self.cleaned_data
        refs = []
        for key in all_link_kinds():
            lines = [
                line.strip() for line in data.get(_link_field_name(key), "").splitlines() if line.strip()
            ]
            refs += [(key, line) for line in lines[:MAX_LINES]]
        return {
            "title": data["title"],
            "incident_type": data["incident_type"],
            "severity": data["severity"],
            "owner": data["owner"],
            "description": data["description"],
            "affected_systems": data["affected_systems"],
            "audit_event_seqs": data["audit_event_seqs"],
            "links": refs,
        }
