from django import forms
from django.utils.translation import gettext_lazy as _


class TakedownForm(forms.Form):
    reason = forms.CharField(
        label=_("撤下原因"),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=4,
        max_length=2000,
        help_text=_("网站管理制度 第十八条：发现有害信息或错误信息时紧急撤下，原因将记入撤稿记录。"),
    )
