from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from ggzy.audit.export import AuditedExportIndexView
from ggzy.core.viewsets import LimitedModelViewSet

from .models import PublicationRecord, TakedownRecord


class _ReadOnlyViewSet(LimitedModelViewSet):
    """Records are written by the services only; the admin lists, inspects and exports."""

    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []
    index_view_class = AuditedExportIndexView
    removed_views = frozenset({"add", "edit", "delete"})


RECORD_FIELDS = [
    "title",
    "column_title",
    "department",
    "drafter_name",
    "submitted_at",
    "published_at",
    "publisher",
    "workflow_name",
    "content_sha256",
]


class PublicationRecordInspectView(InspectView):
    """One record, with its 信息发布审批表 as a PDF to download (信息发布管理制度 (十))."""

    @cached_property
    def header_buttons(self):
        return [HeaderButton(_("下载审批表（PDF）"), url=record_pdf_url(self.object), icon_name="download")]


class PublicationRecordViewSet(_ReadOnlyViewSet):
    """信息发布日志 (信息发布管理制度 (十)): filter by department, column and date; export xlsx."""

    model = PublicationRecord
    icon = "doc-full"
    menu_label = _("信息发布日志")
    url_prefix = "publishing/records"
    list_display = [
        "title",
        "column_title",
        "department",
        "drafter_name",
        "publisher",
        Column("published_at", label=_("发布时间"), accessor="published_at"),
    ]
    list_filter = {"department": ["exact"], "column_title": ["icontains"], "published_at": ["gte", "lte"]}
    list_export = RECORD_FIELDS
    export_filename = "publication-log"
    search_fields = ["title", "column_title"]
    ordering = ["-published_at"]
    inspect_view_fields = [*RECORD_FIELDS, "steps", "materials"]
    inspect_view_class = PublicationRecordInspectView

    def get_index_view_kwargs(self, **kwargs):
        # Wagtail 8's IndexView reads its `queryset`; ModelViewSet.get_queryset is never called.
        queryset = PublicationRecord.objects.select_related("department", "publisher")
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class TakedownRecordViewSet(_ReadOnlyViewSet):
    model = TakedownRecord
    icon = "download"
    menu_label = _("紧急撤稿记录")
    url_prefix = "publishing/takedowns"
    list_display = ["title", "actor", "reason", "taken_down_at"]
    list_export = ["title", "actor", "reason", "taken_down_at"]
    export_filename = "takedowns"
    ordering = ["-taken_down_at"]


class PublishingViewSetGroup(ViewSetGroup):
    menu_label = _("信息发布")
    menu_icon = "doc-full-inverse"
    menu_order = 250
    items = (
        PublicationRecordViewSet("publication_records"),
        TakedownRecordViewSet("takedown_records"),
    )


def record_pdf_url(record: PublicationRecord) -> str:
    return reverse("publishing_record_pdf", args=[record.pk])
