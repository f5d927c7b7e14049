import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from ggzy.accounts.models import Department
from ggzy.assets import services

_counter = itertools.count(1)


def asset(actor, *, kind="laptop", holder=None, number=None, department="xinxi"):
    return services.asset_create(
        data=services.AssetData(
            number=number or f"ZC-T-{next(_counter):04d}",
            kind=kind,
            name="ThinkPad X1" if kind == "laptop" else "设备",
            department=Department.objects.get(code=department),
            model="X1 Carbon",
            serial="SN123",
            holder=holder,
        ),
        actor=actor,
    )


def workbook(rows, header=None) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header or [str(label) for _k, label in services.IMPORT_COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("台账.xlsx", out.getvalue())
