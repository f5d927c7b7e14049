from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ggzy.accounts.models import User

from .models import Credential
from .registry import system_use_choices
from .services import CREDENTIAL_FIELDS


class CredentialForm(WagtailAdminModelForm):
    """The record only: the password itself is set through the two-person flow."""

    class Meta:
        model = Credential
        fields = CREDENTIAL_FIELDS
        widgets = {"holders": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holders"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["system_use"] = forms.ChoiceField(
            label=self.fields["system_use"].label,
            help_text=self.fields["system_use"].help_text,
            required=False,
            choices=[("", _("不允许（仅限可查看人员）")), *system_use_choices()],
        )


class ChangeStartForm(forms.Form):
    generate = forms.BooleanField(
        label=_("由系统生成口令"),
        required=False,
        help_text=_("随机生成 24 位口令（数字、字母、特殊字符）；生效后由可查看人员查看并设置到目标系统"),
    )
    new_secret = forms.CharField(
        label=_("新口令"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("不少于 16 位，由数字、字母和特殊字符三种组合组成（密码、口令管理制度 一(二)）"),
    )
    new_secret_again = forms.CharField(
        label=_("再次输入新口令"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    reason = forms.CharField(label=_("原因"), max_length=300, error_messages={"required": _("请填写原因。")})

    def clean(self):
        data = super().clean()
        if data.get("generate"):
            data["new_secret"] = None
            return data
        if not data.get("new_secret"):
            self.add_error("new_secret", _("请输入新口令，或选择由系统生成。"))
        elif data.get("new_secret") != data.get("new_secret_again"):
            self.add_error("new_secret_again", _("两次输入的口令不一致。"))
        return data


class ConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("您的登录密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("请输入您的登录密码。")},
    )
    otp_token = forms.CharField(
        label=_("动态验证码"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("请输入验证器上的动态验证码。")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写理由。")},
    )


class LeakForm(forms.Form):
    note = forms.CharField(
        label=_("发现的泄密迹象"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请描述发现的泄密迹象。")},
    )
