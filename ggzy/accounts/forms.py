from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from .models import Department
from .services import validate_role_combination


class _GgzyUserFormMixin:
    """Department is required; no superuser checkbox (only the bootstrap account
    is a superuser); role combinations checked for 三权分立."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("is_superuser", None)
        self.fields["department"] = forms.ModelChoiceField(
            queryset=Department.objects.all(), label=_("所属科室"), required=True
        )
        if self.instance.pk:
            self.initial.setdefault("department", self.instance.department_id)

    def clean_groups(self):
        groups = self.cleaned_data.get("groups") or []
        try:
            validate_role_combination(groups)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return groups

    def save(self, commit=True):
        user = super().save(commit=False)
        user.department = self.cleaned_data["department"]
        if self.cleaned_data.get("password1"):
            # 密码、口令管理制度 二(一): an administrator-set password is changed at first login.
            user.must_change_password = True
        if commit:
            user.save()
            self.save_m2m()
        return user


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
