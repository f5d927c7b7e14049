"""Import of the ledger from xlsx: every row validated, all or nothing, Chinese
errors naming the row."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ggzy.assets import services
from ggzy.assets.models import Asset
from ggzy.audit.models import AuditEvent

from .factories import asset, workbook

pytestmark = pytest.mark.django_db


def test_a_good_workbook_is_imported(people):
    upload = workbook(
        [
            [
                "ZC-2026-0001",
                "笔记本电脑",
                "ThinkPad",
                "X1",
                "SN1",
                "信息科",
                people.drafter.username,
                "三楼",
                "2025-05-01",
                8999,
                "2028-05-01",
            ],
            [
                "ZC-2026-0002",
                "network",
                "核心交换机",
                "S5700",
                "SN2",
                "xinxi",
                None,
                "机房",
                None,
                None,
                None,
            ],
        ]
    )
    created = services.assets_import(upload=upload, actor=people.network_admin)
    assert [a.number for a in created] == ["ZC-2026-0001", "ZC-2026-0002"]
    laptop = Asset.objects.get(number="ZC-2026-0001")
    assert (
        laptop.holder == people.drafter
        and laptop.kind == "laptop"
        and str(laptop.purchase_value) == "8999.00"
    )
    assert AuditEvent.objects.get(action="assets.asset.imported").extra["count"] == 2


def test_one_bad_row_stores_nothing_and_every_error_is_named(people):
    asset(people.network_admin, number="ZC-DUP")
    upload = workbook(
        [
            ["ZC-2026-0101", "笔记本电脑", "好的一行", "", "", "信息科", None, "", None, None, None],
            ["ZC-DUP", "飞船", "", "", "", "不存在科", "nobody", "", "2025-13-01", "很多", None],
            ["ZC-2026-0101", "钥匙", "机房钥匙", "", "", "信息科", None, "", None, None, None],
        ]
    )
    before = Asset.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.assets_import(upload=upload, actor=people.network_admin)
    messages = refused.value.messages
    assert len(messages) == 2
    row3, row4 = messages
    assert row3.startswith("第 3 行：")
    for expected in ("ZC-DUP", "飞船", "不存在科", "nobody", "2025-13-01", "很多", "请填写名称"):
        assert expected in row3, (expected, row3)
    assert row4.startswith("第 4 行：") and "ZC-2026-0101" in row4
    assert Asset.objects.count() == before
    assert AuditEvent.objects.filter(action="assets.asset.import_rejected", outcome="failure").exists()


def test_wrong_header_or_file_type_is_refused(people):
    with pytest.raises(ValidationError) as refused:
        services.assets_import(upload=workbook([["a"]], header=["编号", "名称"]), actor=people.network_admin)
    assert "表头应为" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError) as refused:
        services.assets_import(
            upload=SimpleUploadedFile("台账.xlsx", b"not a workbook"), actor=people.network_admin
        )
    assert "不接受此类文件" in " ".join(refused.value.messages)
    with pytest.raises(PermissionDenied):
        services.assets_import(upload=workbook([]), actor=people.drafter)
