"""Admin for the intake API: tokens (系统管理员) and the call log (read-only)."""

from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup

from ggzy.core.viewsets import LimitedModelViewSet

from . import services
from .forms import ApiTokenForm
from .models import ApiCallLog, ApiToken


class ApiTokenCreateView(generic.CreateView):
    def save_instance(self):
        token, raw = services.api_token_create(
            name=self.form.cleaned_data["name"],
            kinds=self.form.cleaned_data["kinds"],
            actor=self.request.user,
        )
        token.raw = raw
        return token

    def get_success_message(self, instance):
        # Shown this once only: only the SHA-256 is stored.
        return _("接口令牌“%(name)s”已创建，请立即复制保存，此后不再显示：%(raw)s") % {
            "name": instance.name,
            "raw": instance.raw,
        }


class ApiTokenEditView(generic.EditView):
    def save_instance(self):
        token = self.object
        if token.revoked_at is None:
            token = services.api_token_update(
                token=token, kinds=self.form.cleaned_data["kinds"], actor=self.request.user
            )
            if self.form.cleaned_data.get("revoke"):
                token = services.api_token_revoke(token=token, actor=self.request.user)
                messages.warning(self.request, _("令牌“%(name)s”已吊销。") % {"name": token.name})
        return token


class ApiTokenViewSet(LimitedModelViewSet):
    """接口令牌: created by the 系统管理员; shown once; revoked, never deleted."""

    model = ApiToken
    add_view_class = ApiTokenCreateView
    edit_view_class = ApiTokenEditView
    icon = "key"
    menu_label = gettext_lazy("接口令牌")
    url_prefix = "notices/tokens"
    list_display = ["name", "prefix", "kinds", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix"]
    ordering = ["name"]
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        # ModelViewSet has no form_class attribute: it builds a form unless told otherwise.
        return ApiTokenForm

    removed_views = frozenset({"delete"})


class ApiCallLogViewSet(LimitedModelViewSet):
    """接口调用记录: one row per call, written by the API only."""

    model = ApiCallLog
    icon = "list-ul"
    menu_label = gettext_lazy("接口调用记录")
    url_prefix = "notices/calls"
    list_display = ["created_at", "token", "method", "path", "status", "kind", "external_id", "remote_addr"]
    list_filter = {"status": ["exact"], "kind": ["exact"], "created_at": ["gte", "lte"]}
    search_fields = ["external_id", "path"]
    ordering = ["-created_at"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []
    removed_views = frozenset({"add", "edit", "delete"})


class NoticesViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("交易公告接口")
    menu_icon = "code"
    items = (ApiTokenViewSet("notices_api_tokens"), ApiCallLogViewSet("notices_api_calls"))
