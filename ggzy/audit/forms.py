from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Outcome

_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


class EventFilterForm(forms.Form):
    since = forms.DateTimeField(label=_("起始时间"), required=False, widget=_DT, input_formats=_DT_FORMATS)
    until = forms.DateTimeField(label=_("截止时间"), required=False, widget=_DT, input_formats=_DT_FORMATS)
    actor = forms.CharField(label=_("用户名"), required=False, max_length=150)
    action = forms.CharField(label=_("操作（前缀）"), required=False, max_length=100)
    outcome = forms.ChoiceField(label=_("结果"), required=False, choices=[("", _("全部")), *Outcome.choices])
    object = forms.CharField(label=_("对象"), required=False, max_length=100)


class GrantRequestForm(forms.Form):
    purpose = forms.CharField(label=_("查阅目的"), widget=forms.Textarea(attrs={"rows": 3}))
    valid_from = forms.DateTimeField(label=_("授权生效时间"), widget=_DT, input_formats=_DT_FORMATS)
    valid_until = forms.DateTimeField(label=_("授权失效时间"), widget=_DT, input_formats=_DT_FORMATS)
    scope_action_prefix = forms.CharField(
        label=_("范围（操作前缀）"), required=False, max_length=100, help_text=_("留空表示全部操作")
    )
    scope_since = forms.DateTimeField(
        label=_("事件起始时间"), required=False, widget=_DT, input_formats=_DT_FORMATS
    )
    scope_until = forms.DateTimeField(
        label=_("事件截止时间"), required=False, widget=_DT, input_formats=_DT_FORMATS
    )


class GrantDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("批准")), ("reject", _("驳回"))])
    note = forms.CharField(label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    period_start = forms.DateTimeField(label=_("审查起始"), widget=_DT, input_formats=_DT_FORMATS)
    period_end = forms.DateTimeField(label=_("审查截止"), widget=_DT, input_formats=_DT_FORMATS)
    findings = forms.CharField(
        label=_("发现的问题及处理"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
