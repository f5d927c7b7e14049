"""设置 › 网站标识: the 网站管理员 edits the site's identification (网站管理制度 第十五条)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ggzy.core.permissions import role_has_perm

from .forms import SiteIdentityForm
from .models import SiteIdentity
from .selectors import identity_defaults

IDENTITY_PERMISSION = "portal.change_siteidentity"


def can_edit_identity(user) -> bool:
    return role_has_perm(user, IDENTITY_PERMISSION)


class SiteIdentityView(WagtailAdminTemplateMixin, FormView):
    template_name = "wagtailadmin/generic/form.html"
    form_class = SiteIdentityForm
    page_title = gettext_lazy("网站标识")
    header_icon = "site"
    breadcrumbs_items = []

    def dispatch(self, request, *args, **kwargs):
        if not can_edit_identity(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = SiteIdentity.objects.order_by("pk").first() or identity_defaults()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse("portal_site_identity")
        context["submit_button_label"] = _("保存")
        context["submit_button_active_label"] = _("正在保存…")
        return context

    def form_valid(self, form):
        form.for_user = self.request.user
        form.save()
        messages.success(self.request, _("网站标识已保存，静态页面将按新的页脚重新生成。"))
        return redirect("portal_site_identity")

    def form_invalid(self, form):
        messages.error(self.request, _("网站标识未保存，请改正下面的错误。"))
        return super().form_invalid(form)


site_identity = SiteIdentityView.as_view()
