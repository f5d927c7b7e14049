from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.users.views.users import CreateView, DeleteView, EditView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from ggzy.core.permissions import role_has_perm

from . import services
from .forms import GgzyUserCreationForm, GgzyUserEditForm
from .models import PasswordPolicy

# One road for account writes (网络安全管理办法 五(二)): the user admin's views
# hand the validated input to accounts.services, which checks the rules
# (三权分立, the password rule of the roles given, first-login change), writes
# and records the audit event in one transaction. Wagtail's own history entry
# (its action classes would write it) is logged here, in the same transaction.

# Where the form shows a rule the service refused (the service names its inputs).
_FORM_FIELD_FOR = {"password": "password2"}


class _ServiceErrorsMixin:
    """A rule refused by the service is shown on the form, as the form's own errors are."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
            for name, field_errors in errors.items():
                field = _FORM_FIELD_FOR.get(name, name)
                form.add_error(field if field in form.fields else None, field_errors)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


def _changes(form) -> dict:
    return {name: form.cleaned_data[name] for name in services.USER_EDITABLE_FIELDS if name in form.fields}


class UserCreateView(_ServiceErrorsMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        user = services.user_create(
            actor=self.request.user,
            password=data["password1"],
            groups=data.get("groups") or (),
            **_changes(self.form),
        )
        log(instance=user, action="wagtail.create", user=self.request.user, content_changed=True)
        return user


class UserEditView(_ServiceErrorsMixin, EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        user = services.user_update(
            actor=self.request.user,
            user=self.object,
            changes=_changes(self.form),
            groups=data["groups"] if "groups" in self.form.fields else None,
            password=data.get("password1") or "",
        )
        log(
            instance=user,
            action="wagtail.edit",
            user=self.request.user,
            content_changed=self.form.has_changed(),
        )
        return user


class UserDeleteView(DeleteView):
    def delete_action(self):
        with transaction.atomic():
            log(instance=self.object, action="wagtail.delete", user=self.request.user, deleted=True)
            services.user_delete(actor=self.request.user, user=self.object)


class UserViewSet(WagtailUserViewSet):
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView

    def get_form_class(self, for_update=False):
        return GgzyUserEditForm if for_update else GgzyUserCreationForm


class PasswordPolicyCreateView(generic.CreateView):
    """There is one policy: once it exists, "add" opens it for editing."""

    def dispatch(self, request, *args, **kwargs):
        existing = PasswordPolicy.objects.order_by("pk").first()
        if existing is not None and role_has_perm(request.user, "accounts.change_passwordpolicy"):
            return redirect("password_policy:edit", existing.pk)
        # Without the permission: refused here, as every other admin screen refuses.
        return super().dispatch(request, *args, **kwargs)


class PasswordPolicyViewSet(ModelViewSet):
    """密码策略: the 安全管理员 raises the password rules (密码、口令管理制度 二).

    One row; the form's field validators refuse anything below the regulation.
    """

    model = PasswordPolicy
    icon = "password"
    menu_label = _("密码策略")
    menu_name = "password_policy"
    add_to_settings_menu = True
    url_prefix = "password-policy"
    add_view_class = PasswordPolicyCreateView
    list_display = ["__str__", "office_min_length", "publishing_min_length", "admin_min_length", "updated_at"]
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = [
        "office_min_length",
        "publishing_min_length",
        "publishing_min_classes",
        "admin_min_length",
        "office_max_age_days",
        "publishing_max_age_days",
        "admin_max_age_days",
        "expiry_warning_days",
        "history_count",
    ]


password_policy_viewset = PasswordPolicyViewSet("password_policy")
