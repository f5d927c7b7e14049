"""The editor's 插入 Excel 表格 modal (a Wagtail modal workflow, like the image
chooser): upload an .xlsx (checked, screened, archived), pick the sheet, give
a caption, and the table goes into the body as an atomic block."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.modal_workflow import render_modal_workflow

from ggzy.core.permissions import role_has_perm

from .models import SpreadsheetTable, SpreadsheetUpload
from .rich_text import editor_data
from .services import MAX_HEADER_ROWS, spreadsheet_table_create, spreadsheet_upload

PERMISSION = "ingest.add_spreadsheettable"


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel 文件（.xlsx）"))


class SpreadsheetTableForm(forms.Form):
    sheet = forms.ChoiceField(label=gettext_lazy("工作表"))
    caption = forms.CharField(label=gettext_lazy("表格标题"), max_length=200)
    header_rows = forms.IntegerField(
        label=gettext_lazy("表头行数"),
        min_value=0,
        max_value=MAX_HEADER_ROWS,
        initial=1,
        help_text=gettext_lazy("表格开头作为列标题的行数（0 表示没有表头）。"),
    )

    def __init__(self, *args, sheets: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(name, name) for name in sheets]


def _require_permission(request):
    if not role_has_perm(request.user, PERMISSION):
        raise PermissionDenied


def _own_department(request, source: SpreadsheetUpload) -> SpreadsheetUpload:
    """An uploaded workbook is its department's (网站管理制度 — the drafting lane): another
    department's staff may not turn it into a table, nor learn that it exists."""
    if source.uploaded_by.department_id != request.user.department_id:
        raise Http404
    return source


def _upload_step(request, form):
    return render_modal_workflow(
        request, "ingest/tables/chooser_upload.html", None, {"form": form}, json_data={"step": "upload"}
    )


def _sheet_step(request, source, form, warnings=()):
    return render_modal_workflow(
        request,
        "ingest/tables/chooser_sheet.html",
        None,
        {
            "form": form,
            "source": source,
            "warnings": warnings,
            "action": reverse("ingest_table_chooser_sheet", args=[source.pk]),
        },
        json_data={"step": "sheet"},
    )


def chooser(request):
    """Step 1: the upload form; on POST the file passes the screening gate."""
    _require_permission(request)
    if request.method != "POST":
        return _upload_step(request, SpreadsheetUploadForm())
    form = SpreadsheetUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_step(request, form)
    try:
        source, check = spreadsheet_upload(upload=form.cleaned_data["file"], actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error("file", message)
        return _upload_step(request, form)
    sheets = source.sheet_names
    initial = {
        "sheet": sheets[0] if sheets else "",
        "caption": source.name.rsplit(".", 1)[0],
        "header_rows": 1,
    }
    return _sheet_step(request, source, SpreadsheetTableForm(initial=initial, sheets=sheets), check.warnings)


def chooser_sheet(request, source_id):
    """Step 2: pick the sheet, caption and header rows; the table is created
    and handed to the editor."""
    _require_permission(request)
    source = _own_department(
        request, get_object_or_404(SpreadsheetUpload.objects.select_related("uploaded_by"), pk=source_id)
    )
    form = SpreadsheetTableForm(request.POST or None, sheets=source.sheet_names)
    if request.method != "POST" or not form.is_valid():
        return _sheet_step(request, source, form)
    try:
        table = spreadsheet_table_create(
            source=source,
            sheet=form.cleaned_data["sheet"],
            caption=form.cleaned_data["caption"],
            header_rows=form.cleaned_data["header_rows"],
            actor=request.user,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return _sheet_step(request, source, form)
    return render_modal_workflow(
        request, None, None, None, json_data={"step": "chosen", "table": editor_data(table)}
    )


def chooser_edit(request, table_id):
    """Editing a table block: step 2 for its source, filled in (a new table
    is made; tables never change, see SpreadsheetTable)."""
    _require_permission(request)
    table = get_object_or_404(SpreadsheetTable.objects.select_related("source__uploaded_by"), pk=table_id)
    _own_department(request, table.source)
    initial = {"sheet": table.sheet_name, "caption": table.caption, "header_rows": table.header_rows}
    return _sheet_step(
        request, table.source, SpreadsheetTableForm(initial=initial, sheets=table.source.sheet_names)
    )
