"""The form that starts a departure; the service decides, the form only collects."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ggzy.accounts.models import User

from .choices import DepartureKind


class DepartureStartForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"), label=_("人员")
    )
    kind = forms.ChoiceField(choices=DepartureKind.choices, label=_("类型"))
    reason = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    device_accounts = forms.CharField(
        label=_("其掌握的服务器、交换机、路由器账号（每行一个，第二条(一)）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
