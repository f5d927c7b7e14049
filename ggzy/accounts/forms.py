from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from .models import Department, Role
from .passwords import Tier, user_tier, with_pending_roles
from .services import validate_role_combination

_TIER_RANK = {Tier.OFFICE: 0, Tier.PUBLISHING: 1, Tier.ADMIN: 2}


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
        self._previous_tier = user_tier(self.instance) if self.instance.pk else None

    def clean_groups(self):
        groups = self.cleaned_data.get("groups") or []
        try:
            validate_role_combination(groups)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return groups

    def _pending_role_keys(self) -> set[str]:
        groups = self.cleaned_data.get("groups") or []
        return set(Role.objects.filter(group__in=groups).values_list("key", flat=True))

    def validate_password(self):
        # 密码、口令管理制度 二(一): judge the password by the roles being assigned,
        # not the ones the user had before this form.
        if "groups" in self.cleaned_data:
            with_pending_roles(self.instance, self._pending_role_keys())
        super().validate_password()

    def save(self, commit=True):
        previous_tier = self._previous_tier
        user = super().save(commit=False)
        user.department = self.cleaned_data["department"]
        password_set = bool(self.cleaned_data.get("password1"))
        if password_set:
            # 密码、口令管理制度 二(一): an administrator-set password is changed at first login.
            user.must_change_password = True
        elif previous_tier is not None and "groups" in self.cleaned_data:
            # Moved into a stricter tier: the old password was never checked against it.
            with_pending_roles(user, self._pending_role_keys())
            if _TIER_RANK[user_tier(user)] > _TIER_RANK[previous_tier]:
                user.must_change_password = True
        if commit:
            user.save()
            self.save_m2m()
        # wagtail_hooks.after_edit_user ends the sessions and records who reset it.
        user._ggzy_password_reset_by_admin = password_set and previous_tier is not None
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


class OTPTokenForm(forms.Form):
    token = forms.CharField(
        label=_("验证码"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
