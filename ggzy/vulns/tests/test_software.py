"""Software on the center's computers (网络与系统安全维护管理制度 二(二)): 信息科 keeps the
list of what may be installed and imports each computer's installed programs; a program
not on the list, or a computer not inventoried within the period, fails the check."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ggzy.accounts.tests.factories import login_as
from ggzy.assets.tests.factories import asset
from ggzy.audit.models import AuditEvent
from ggzy.compliance.registry import all_checks, run_check
from ggzy.vulns import software
from ggzy.vulns.models import ApprovedSoftware, InstalledSoftware, SoftwareInventory

pytestmark = pytest.mark.django_db

HEADER = "\ufeffasset_number,taken_on,name,version,publisher\n"


def _check(today=None):
    return run_check(all_checks()["vulns.software_approved"], today=today or timezone.localdate())


def _csv(*rows):
    return SimpleUploadedFile("software.csv", (HEADER + "".join(r + "\n" for r in rows)).encode())


def _approve(client, name, publisher="", purpose="办公"):
    return client.post(
        "/admin/vulns/software/software/new/",
        {"name_pattern": name, "publisher": publisher, "purpose": purpose, "active": "on"},
    )


def test_inventory_against_the_list_decides_the_check(center, people, client):
    today = timezone.localdate()
    assert _check().status == "no_data"
    asset(people.network_admin, kind="desktop", number="ZC-2026-0101")
    asset(people.network_admin, kind="laptop", number="ZC-2026-0102")
    result = _check()
    assert (
        result.status == "failing" and "2 台计算机" in result.detail and "未清点已安装软件" in result.detail
    )

    login_as(client, people.network_admin)
    assert _approve(client, "WPS Office*", purpose="公文处理").status_code == 302
    assert _approve(client, "火绒安全*").status_code == 302
    assert _approve(client, "Google Chrome", publisher="Google").status_code == 302
    entry = ApprovedSoftware.objects.get(name_pattern="WPS Office*")
    assert entry.approved_by == people.network_admin and entry.approved_on == today
    assert AuditEvent.objects.filter(action="vulns.software.approved").count() == 3

    day = today.isoformat()
    count = software.inventory_import(
        upload=_csv(
            f"ZC-2026-0101,{day},WPS Office 2023 专业版,12.8,金山办公",
            f"ZC-2026-0101,{day},火绒安全软件,6.0,火绒",
            f"ZC-2026-0102,{day},wps office 2019,11.1,金山办公",
            f"ZC-2026-0102,{day},Google Chrome,131.0,Google LLC",
            f"ZC-2026-0102,{day},Steam,2.10,Valve",
            f"ZC-2026-0102,{day},Google Chrome,130.0,Unknown Repack",
        ),
        actor=people.network_admin,
    )
    assert count == 2 and SoftwareInventory.objects.count() == 2 and InstalledSoftware.objects.count() == 6
    event = AuditEvent.objects.filter(action="vulns.software.inventoried").order_by("-id").first()
    assert event is not None
    result = _check()
    # Wildcards are case-insensitive; an entry with a publisher wants that publisher.
    assert result.status == "failing" and "1 台计算机" in result.detail
    assert (
        "ZC-2026-0102" in result.detail and "Steam" in result.detail and "ZC-2026-0101" not in result.detail
    )
    assert result.detail.count("Google Chrome") == 1

    # 信息科 approves Steam? No — it is removed and the computer is inventoried again.
    software.inventory_import(
        upload=_csv(f"ZC-2026-0102,{day},WPS Office 2019,11.1,金山办公"), actor=people.network_admin
    )
    assert _check().status == "met"

    # A quarter later the inventories are stale.
    later = _check(today + dt.timedelta(days=93))
    assert later.status == "failing" and "超过 92 天未清点软件" in later.detail

    # Withdrawing an entry makes what it allowed unapproved again.
    client.post(
        f"/admin/vulns/software/software/{entry.pk}/",
        {"name_pattern": "WPS Office*", "publisher": "", "purpose": "公文处理", "active": ""},
    )
    assert "WPS Office" in _check().detail


def test_import_is_all_or_nothing_with_the_bad_line_named(center, people):
    asset(people.network_admin, kind="desktop", number="ZC-2026-0101")
    asset(people.network_admin, kind="peripheral", number="ZC-2026-0199")  # not a computer
    day = timezone.localdate().isoformat()
    cases = [
        ((f"ZC-2026-0101,{day},WPS,1,金山", f"ZC-2026-0199,{day},WPS,1,金山"), "第 3 行"),
        ((f"ZC-2026-0101,{day},WPS,1,金山", "ZC-2026-0101,2026/12/01,Chrome,1,Google"), "YYYY-MM-DD"),
        ((f"ZC-2026-0101,{day},,1,金山",), "软件名称为空"),
        (("ZC-2026-0101,2999-01-01,WPS,1,金山",), "不能晚于今天"),
    ]
    for rows, message in cases:
        with pytest.raises(ValidationError) as refused:
            software.inventory_import(upload=_csv(*rows), actor=people.network_admin)
        assert message in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        software.inventory_import(
            upload=SimpleUploadedFile("x.csv", b"asset_number,name\nZC-2026-0101,WPS\n"),
            actor=people.network_admin,
        )
    assert "taken_on" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        software.inventory_import(
            upload=SimpleUploadedFile("x.csv", "名称".encode("gbk")), actor=people.network_admin
        )
    assert "UTF-8" in refused.value.messages[0]
    with pytest.raises(PermissionDenied):
        software.inventory_import(upload=_csv(f"ZC-2026-0101,{day},WPS,1,金山"), actor=people.security_admin)
    assert not SoftwareInventory.objects.exists() and not InstalledSoftware.objects.exists()
    assert not AuditEvent.objects.filter(action="vulns.software.inventoried").exists()


def test_only_the_network_admin_keeps_the_list(center, people, client):
    login_as(client, people.security_admin)
    assert client.get("/admin/vulns/software/software/").status_code == 200
    response = _approve(client, "Steam")
    assert response.status_code in (200, 403) and not ApprovedSoftware.objects.exists()


def test_the_screens_and_a_fixed_number_of_queries(center, people, client):
    day = timezone.localdate().isoformat()
    rows = []
    for n in range(1, 13):
        asset(people.network_admin, kind="desktop", number=f"ZC-2026-{n:04d}")
        rows += [f"ZC-2026-{n:04d},{day},WPS Office {n},1,金山", f"ZC-2026-{n:04d},{day},Game {n},1,x"]
    software.inventory_import(upload=_csv(*rows), actor=people.network_admin)
    ApprovedSoftware.objects.create(name_pattern="WPS Office*", purpose="公文")
    with CaptureQueriesContext(connection) as few:
        _check()
    asset(people.network_admin, kind="desktop", number="ZC-2026-0099")
    with CaptureQueriesContext(connection) as more:
        result = _check()
    assert len(more) == len(few) and "13 台计算机" in result.detail

    login_as(client, people.network_admin)
    page = client.get("/admin/vulns/endpoints/").content.decode()
    assert "未经信息科准许的软件：Game 1" in page and "未清点已安装软件" in page
    computer = SoftwareInventory.objects.select_related("asset").first().asset
    detail = client.get(f"/admin/vulns/endpoints/{computer.pk}/software/").content.decode()
    assert "1 款未经准许" in detail and "WPS Office" in detail
    upload = _csv(f"{computer.number},{day},WPS Office 1,1,金山")
    response = client.post("/admin/vulns/endpoints/software-import/", {"upload": upload})
    assert response.status_code == 302
    detail = client.get(f"/admin/vulns/endpoints/{computer.pk}/software/").content.decode()
    assert "0 款未经准许" in detail
    bad = client.post("/admin/vulns/endpoints/software-import/", {"upload": _csv(f"ZC-X,{day},A,1,B")})
    assert bad.status_code == 200 and "资产台账中没有在用的计算机" in bad.content.decode()


@time_machine.travel(dt.datetime(2026, 12, 4, 10, tzinfo=dt.UTC))
def test_inventory_age_counts_from_the_day_taken(center, people):
    asset(people.network_admin, kind="laptop", number="ZC-2026-0301")
    ApprovedSoftware.objects.create(name_pattern="*", purpose="测试：全部准许")
    software.inventory_import(upload=_csv("ZC-2026-0301,2026-09-01,WPS,1,金山"), actor=people.network_admin)
    assert _check(dt.date(2026, 12, 2)).status == "met"
    assert _check(dt.date(2026, 12, 3)).status == "failing"
