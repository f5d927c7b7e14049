from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.users.forms import UserCreationForm, UserEditForm

from .models import Department


class _GgzyUserFormMixin:
    """Input and display only: department is required, and there is no superuser
    checkbox (only the bootstrap account is a superuser). The rules (三权分立, the
    password rule of the roles being given, the first-login change) are
    accounts.services', which the user admin's views call with the cleaned data."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("is_superuser", None)
        self.fields["department"] = forms.ModelChoiceField(
            queryset=Department.objects.all(), label=_("所属科室"), required=True
        )
        if self.instance.pk:
            self.initial.setdefault("department", self.instance.department_id)

    def validate_password(self):
        # Wagtail would judge the password by the roles the user has now; the
        # service judges it by the roles being given (密码、口令管理制度 二(一)).
        pass

    def save(self, commit=True):
        raise NotImplementedError("accounts are written by accounts.services (user_create, user_update)")


class GgzyUserCreationForm(_GgzyUserFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields - {"is_superuser"}


class GgzyUserEditForm(_GgzyUserFormMixin, UserEditForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if kwargs.get("editing_self"):
            # Own password changes go through the password page, which clears the flag.
            self.fields.pop("password1", None)
            self.fields.pop("password2", None)

    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields - {"is_superuser"}


class RequiredPasswordChangeForm(PasswordChangeForm):
    """Django's form (old password, new password twice, validators)."""

    def clean(self):
        cleaned = super().clean()
        old = cleaned.get("old_password")
        new = cleaned.get("new_password1")
        if old and new and old == new:
            raise forms.ValidationError(_("新密码不能与当前密码相同。"), code="password_unchanged")
        return cleaned


class OTPTokenForm(forms.Form):
    token = forms.CharField(
        label=_("验证码"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class LoginForm(WagtailLoginForm):
    """Wagtail's login form with its password field labelled: Wagtail leaves it
    without a label, so Django shows the field name "Password" untranslated (issue 20)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("密码")
        self.fields["remember"].label = _("记住我")
