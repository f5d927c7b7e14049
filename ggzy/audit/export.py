"""Exports from admin listings are events (网络安全管理办法 五; issue: "an export is an event")."""

from wagtail.admin.views.generic import IndexView

from ggzy.core.exports import SafeSpreadsheetExportMixin

from .services import record


class AuditedExportIndexView(SafeSpreadsheetExportMixin, IndexView):
    """A ModelViewSet index view whose xlsx/csv exports are recorded with the filters used."""

    def as_spreadsheet(self, queryset, spreadsheet_format):
        meta = self.model._meta
        record(
            action=f"{meta.app_label}.{meta.model_name}.exported",
            request=self.request,
            object_type=f"{meta.app_label}.{meta.model_name}",
            object_repr=str(meta.verbose_name),
            format=spreadsheet_format,
            # The filters in effect: an empty field of the filter form filters nothing.
            filters={k: v for k, v in self.request.GET.items() if k != "export" and v},
            rows=queryset.count(),
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)
