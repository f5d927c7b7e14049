from django import forms
from django.utils.translation import gettext_lazy as _

from ggzy.core.validators import ControlCharacterFormMixin

from .models import ConfigVersion, Device


class ChangeForm(ControlCharacterFormMixin, forms.Form):
    device = forms.ModelChoiceField(label=_("设备"), queryset=Device.objects.order_by("name"))
    summary = forms.CharField(label=_("变更内容"), max_length=300)
    reason = forms.CharField(label=_("变更原因"), widget=forms.Textarea(attrs={"rows": 3}))
    planned_at = forms.DateTimeField(
        label=_("计划时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    for_version = forms.ModelChoiceField(
        label=_("补登的配置版本"),
        queryset=ConfigVersion.objects.none(),
        required=False,
        help_text=_("为备份时发现的未经批准的变更补登记录时选择"),
    )
    late_reason = forms.CharField(
        label=_("补登原因"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import unapproved_versions

        self.fields["for_version"].queryset = unapproved_versions().order_by("device__name", "number")


class DecisionForm(ControlCharacterFormMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审批"),
        choices=[("1", _("批准")), ("0", _("驳回"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
