from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.views.users import CreateView, DeleteView, EditView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from . import events
from .forms import GgzyUserCreationForm, GgzyUserEditForm
from .models import PasswordPolicy
from .services import user_audit_snapshot

# 网络安全管理办法 五(二): account changes in the admin are recorded with before/after.
# Wagtail's views do the write through their own action classes; we record in the
# same transaction around it. Group changes are recorded by the audit app's receivers.


class UserCreateView(CreateView):
    def save_instance(self):
        with transaction.atomic():
            user = super().save_instance()
            events.emit(
                "accounts.user.created",
                actor=self.request.user,
                obj=user,
                after=user_audit_snapshot(user),
                password_set=True,
            )
        return user


class UserEditView(EditView):
    def save_instance(self):
        with transaction.atomic():
            before = user_audit_snapshot(type(self.object).objects.get(pk=self.object.pk))
            user = super().save_instance()
            after = user_audit_snapshot(user)
            changed = sorted(k for k in after if before[k] != after[k])
            events.emit(
                "accounts.user.updated",
                actor=self.request.user,
                obj=user,
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
                password_set="password1" in self.form.changed_data
                and bool(self.form.cleaned_data.get("password1")),
            )
        return user


class UserDeleteView(DeleteView):
    def delete_action(self):
        with transaction.atomic():
            snapshot = user_audit_snapshot(self.object)
            events.emit("accounts.user.deleted", actor=self.request.user, obj=self.object, before=snapshot)
            return super().delete_action()


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
        if existing is not None and request.user.has_perm("accounts.change_passwordpolicy"):
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
