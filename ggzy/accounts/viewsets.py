from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .forms import GgzyUserCreationForm, GgzyUserEditForm
from .models import PasswordPolicy


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return GgzyUserEditForm if for_update else GgzyUserCreationForm


class PasswordPolicyCreateView(generic.CreateView):
    """There is one policy: once it exists, "add" opens it for editing."""

    def dispatch(self, request, *args, **kwargs):
        existing = PasswordPolicy.objects.order_by("pk").first()
        if existing is not None:
            # The edit view checks the permission itself.
            return redirect("password_policy:edit", existing.pk)
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
