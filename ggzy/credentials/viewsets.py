"""The vault in the admin (运维管理 → 特权口令): list, register, edit the record,
and the detail page with versions, pending changes and reveals. The password
itself is never in a form or a listing: it is set by two people (views.change_*)
and seen once by a holder (views.reveal_*)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views import generic

from ggzy.core.menus import OperationsMenu, in_group
from ggzy.core.viewsets import LimitedModelViewSet

from . import services, views
from .choices import ChangeStatus, CredentialStatus, RevealStatus
from .forms import CredentialForm
from .models import Credential
from .registry import system_use_label
from .selectors import (
    credentials_visible_to,
    is_holder,
    is_network_admin,
    may_manage,
    pending_changes_for,
)


def _data(form) -> dict:
    return {name: form.cleaned_data[name] for name in services.CREDENTIAL_FIELDS if name != "holders"}


class CredentialIndexView(generic.IndexView):
    def get_base_queryset(self):
        return credentials_visible_to(self.request.user).select_related("department")


class CredentialCreateView(generic.CreateView):
    def save_instance(self):
        return services.credential_create(
            actor=self.request.user, holders=list(self.form.cleaned_data["holders"]), **_data(self.form)
        )

    def get_success_url(self):
        return reverse("credentials:inspect", args=[self.object.pk])

    def get_success_message(self, instance):
        return _("已登记“%(name)s”，请两人同时在场设定口令。") % {"name": instance.name}


class CredentialEditView(generic.EditView):
    def get_object(self, queryset=None):
        credential = get_object_or_404(credentials_visible_to(self.request.user), pk=self.kwargs["pk"])
        user = self.request.user
        if not self.permission_policy.user_has_permission_for_instance(user, "change", credential):
            raise PermissionDenied
        return credential

    def save_instance(self):
        return services.credential_update(
            credential=self.object,
            actor=self.request.user,
            holders=list(self.form.cleaned_data["holders"]),
            **_data(self.form),
        )


class CredentialInspectView(generic.InspectView):
    template_name = "credentials/inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(credentials_visible_to(self.request.user), pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        credential, user = self.object, self.request.user
        live = credential.status != CredentialStatus.RETIRED
        context.update(
            credential=credential,
            versions=credential.versions.select_related("set_by", "confirmed_by"),
            pending=pending_changes_for(credential).filter(expires_at__gt=timezone.now()),
            reveals=credential.reveals.select_related("requested_by", "approved_by")[:20],
            holders=credential.holders.order_by("username"),
            system_use=system_use_label(credential.system_use) or credential.system_use,
            can_manage=live and may_manage(user, credential),
            can_reveal=live and is_holder(user, credential) and credential.current_version() is not None,
            can_report_leak=live and is_network_admin(user) and credential.status == CredentialStatus.ACTIVE,
            compromised=credential.status == CredentialStatus.COMPROMISED,
            awaiting=RevealStatus.AWAITING_APPROVAL,
            change_pending=ChangeStatus.PENDING,
        )
        return context


@in_group(OperationsMenu, order=300)
class CredentialViewSet(LimitedModelViewSet):
    """特权口令 (密码、口令管理制度 一). Retired, never deleted."""

    model = Credential
    icon = "key"
    menu_label = gettext_lazy("特权口令")
    url_prefix = "credentials"
    index_view_class = CredentialIndexView
    add_view_class = CredentialCreateView
    edit_view_class = CredentialEditView
    inspect_view_class = CredentialInspectView
    inspect_view_enabled = True
    list_display = ["name", "kind", "target", "username", "department", "status", "rotation_due_on"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "target", "username"]
    ordering = ["name"]
    copy_view_enabled = False
    removed_views = frozenset({"delete", "copy", "history", "history_results", "usage"})

    def get_form_class(self, for_update=False):
        return CredentialForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/change/", views.change_start, name="change_start"),
            path("changes/<int:pk>/", views.change_detail, name="change"),
            path("changes/<int:pk>/cancel/", views.change_cancel, name="change_cancel"),
            path("<int:pk>/reveal/", views.reveal_request, name="reveal_request"),
            path("reveals/<int:pk>/", views.reveal, name="reveal"),
            path("reveals/<int:pk>/show/", views.reveal_show, name="reveal_show"),
            path("reveals/<int:pk>/decide/", views.reveal_decide, name="reveal_decide"),
            path("<int:pk>/leak/", views.leak, name="leak"),
            path("<int:pk>/retire/", views.retire, name="retire"),
        ]
