"""Forms of the external connections and wireless exceptions registers (网络安全管理办法
二(七)(八)(九)(十)); the approval rules themselves are in ``external``."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ggzy.accounts.models import User
from ggzy.core.validators import ControlCharacterFormMixin

from .choices import DeviceKind
from .models import Device, ExternalConnection, Segment, WirelessException

DATE = {"type": "date"}


class ConnectionForm(ControlCharacterFormMixin, forms.ModelForm):
    class Meta:
        model = ExternalConnection
        fields = (
            "name",
            "kind",
            "counterpart",
            "points",
            "segments",
            "policy",
            "firewall",
            "nat",
            "acl",
            "redundancy",
            "monitored",
            "controls",
            "review_on",
        )
        widgets = {
            "review_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "policy": forms.Textarea(attrs={"rows": 3}),
            "controls": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "name": {"unique": _("已有同名的外联。")},
            "points": {"required": _("请选择互连点设备。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["points"].queryset = Device.objects.filter(active=True).order_by("name")
        self.fields["segments"].queryset = Segment.objects.order_by("name")

    def clean_review_on(self):
        value = self.cleaned_data["review_on"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("复核日期须晚于今天。"))
        return value


class WirelessForm(ControlCharacterFormMixin, forms.ModelForm):
    class Meta:
        model = WirelessException
        fields = (
            "location",
            "ssid",
            "purpose",
            "requested_by",
            "access_points",
            "segment",
            "encryption",
            "valid_from",
            "valid_until",
        )
        widgets = {
            "valid_from": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {"valid_until": {"required": _("无线接入例外须有到期日。")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_by"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["access_points"].queryset = Device.objects.filter(kind=DeviceKind.WIRELESS).order_by(
            "name"
        )
        self.fields["segment"].queryset = Segment.objects.order_by("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("到期日不能早于开始日。"))
        return data


class DecisionForm(ControlCharacterFormMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审批"),
        choices=[("1", _("批准")), ("0", _("驳回"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(
        label=_("审批意见"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("审批须说明理由。")},
    )


class RetireForm(ControlCharacterFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("停用原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("停用须说明原因。")},
    )
