from django import forms
from django.utils.translation import gettext_lazy as _

from ggzy.network.selectors import devices

from .choices import Severity

_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


def _device_field(label, required=False, help_text=""):
    return forms.ModelChoiceField(
        label=label,
        queryset=devices().order_by("name"),
        required=required,
        empty_label=_("全部设备"),
        help_text=help_text,
    )


class SearchForm(forms.Form):
    device = _device_field(_("设备"))
    since = forms.DateTimeField(label=_("起始时间"), required=False, widget=_DT, input_formats=_DT_FORMATS)
    until = forms.DateTimeField(label=_("截止时间"), required=False, widget=_DT, input_formats=_DT_FORMATS)
    severity = forms.TypedChoiceField(
        label=_("级别（及更严重）"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部级别")), *Severity.choices],
    )
    text = forms.CharField(label=_("内容包含"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] <= data["since"]:
            raise forms.ValidationError(_("截止时间必须晚于起始时间。"))
        return data


class GrantRequestForm(forms.Form):
    purpose = forms.CharField(label=_("查阅目的"), widget=forms.Textarea(attrs={"rows": 3}))
    valid_from = forms.DateTimeField(label=_("授权生效时间"), widget=_DT, input_formats=_DT_FORMATS)
    valid_until = forms.DateTimeField(label=_("授权失效时间"), widget=_DT, input_formats=_DT_FORMATS)
    scope_device = _device_field(_("范围（设备）"), help_text=_("留空表示全部设备"))
    scope_since = forms.DateTimeField(
        label=_("日志起始时间"), required=False, widget=_DT, input_formats=_DT_FORMATS
    )
    scope_until = forms.DateTimeField(
        label=_("日志截止时间"), required=False, widget=_DT, input_formats=_DT_FORMATS
    )
