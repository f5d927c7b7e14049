from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from .forms import ColumnPolicyForm
from .models import ColumnPolicy
from .services import POLICY_FIELDS


class ColumnPolicyViewSet(ModelViewSet):
    """栏目发布规范: the 网站管理员 edits each column's policy (网站管理制度 第九条).

    Policies are created with their columns; there is no add or delete here.
    """

    model = ColumnPolicy
    form_class = ColumnPolicyForm
    icon = "list-ul"
    menu_label = _("栏目发布规范")
    menu_name = "column_policies"
    add_to_settings_menu = True
    url_prefix = "column-policies"
    list_display = ["column", "column_type", "update_time_limit", "layout_requirement"]
    list_filter = ["column_type", "update_time_limit"]
    ordering = ["column__path"]
    search_fields = ["column__title", "info_types"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = [*POLICY_FIELDS, "source_departments"]

    def get_form_class(self, for_update=False):
        # ModelViewSet ignores `form_class` without panels; ours saves through the
        # service, which validates and records the change (网络安全管理办法 四(四)).
        return ColumnPolicyForm

    def get_index_view_kwargs(self, **kwargs):
        # Wagtail 8's IndexView reads its `queryset`; ModelViewSet.get_queryset is never called.
        queryset = ColumnPolicy.objects.select_related("column").prefetch_related("source_departments")
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


column_policy_viewset = ColumnPolicyViewSet("column_policies")
