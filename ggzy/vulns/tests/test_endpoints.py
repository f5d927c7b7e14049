"""Endpoint hygiene (网络设备管理制度 第十一、十四条; 维护管理制度 二(三)): per computer
of the asset ledger, recorded by 信息科 or imported from CSV all or nothing; stale
signatures, missing scans and unchecked removable storage fail the live check."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ggzy.accounts.tests.factories import login_as
from ggzy.assets.tests.factories import asset
from ggzy.compliance.registry import all_checks, run_check
from ggzy.vulns import endpoints
from ggzy.vulns.models import EndpointStatus

pytestmark = pytest.mark.django_db


def _check(today=None):
    return run_check(all_checks()["vulns.endpoints_protected"], today=today or timezone.localdate())


def test_recorded_stale_and_missing_protection_fails_the_check(center, people):
    today = timezone.localdate()
    assert _check().status == "no_data"
    laptop = asset(people.network_admin, kind="laptop", number="ZC-2026-0001")
    desktop = asset(people.network_admin, kind="desktop", number="ZC-2026-0002")
    asset(people.network_admin, kind="peripheral", number="ZC-2026-0003")  # not a computer
    result = _check()
    assert result.status == "failing" and "2 台计算机" in result.detail and "未登记杀毒软件" in result.detail
    with pytest.raises(PermissionDenied):
        endpoints.endpoint_record(
            asset=laptop,
            actor=people.security_admin,
            antivirus="火绒",
            signatures_updated_on=today,
            last_full_scan_on=today,
            removable_media="scan_first",
        )
    with pytest.raises(ValidationError) as refused:
        endpoints.endpoint_record(
            asset=laptop,
            actor=people.network_admin,
            antivirus="",
            signatures_updated_on=today + dt.timedelta(days=1),
            last_full_scan_on=None,
            removable_media="sometimes",
        )
    assert {"antivirus", "signatures_updated_on", "removable_media"} <= refused.value.message_dict.keys()
    for computer in (laptop, desktop):
        endpoints.endpoint_record(
            asset=computer,
            actor=people.network_admin,
            antivirus="火绒安全 6.0",
            signatures_updated_on=today - dt.timedelta(days=2),
            last_full_scan_on=today - dt.timedelta(days=10),
            removable_media="scan_first",
        )
    assert _check().status == "met"
    # A week later the signatures are stale; a month later the scan is too.
    later = _check(today + dt.timedelta(days=6))
    assert later.status == "failing" and "病毒库超过 7 天未更新" in later.detail
    much_later = _check(today + dt.timedelta(days=25))
    assert "超过 30 天未全盘查毒" in much_later.detail
    endpoints.endpoint_record(
        asset=desktop,
        actor=people.network_admin,
        antivirus="火绒安全 6.0",
        signatures_updated_on=today,
        last_full_scan_on=today,
        removable_media="allowed",
    )
    assert "移动存储未经查毒即可使用" in _check().detail


CSV = (
    "\ufeffasset_number,antivirus,signatures_updated_on,last_full_scan_on,removable_media\n"
    "ZC-2026-0001,火绒安全 6.0,{today},{today},使用前强制查毒\n"
    "ZC-2026-0002,奇安信天擎,{today},,blocked\n"
)


def test_csv_import_all_or_nothing(center, people):
    today = timezone.localdate().isoformat()
    asset(people.network_admin, kind="laptop", number="ZC-2026-0001")
    asset(people.network_admin, kind="desktop", number="ZC-2026-0002")
    bad = CSV.format(today=today) + f"ZC-9999,火绒,{today},{today},blocked\n"
    with pytest.raises(ValidationError) as refused:
        endpoints.endpoint_import(
            upload=SimpleUploadedFile("e.csv", bad.encode()), actor=people.network_admin
        )
    assert "第 4 行" in refused.value.messages[0] and "ZC-9999" in refused.value.messages[0]
    assert not EndpointStatus.objects.exists()
    bad_date = CSV.format(today="2026/12/01")
    with pytest.raises(ValidationError) as refused:
        endpoints.endpoint_import(
            upload=SimpleUploadedFile("e.csv", bad_date.encode()), actor=people.network_admin
        )
    assert "第 2 行" in refused.value.messages[0] and "YYYY-MM-DD" in refused.value.messages[0]
    count = endpoints.endpoint_import(
        upload=SimpleUploadedFile("e.csv", CSV.format(today=today).encode()), actor=people.network_admin
    )
    assert count == 2
    statuses = {s.asset.number: s for s in EndpointStatus.objects.select_related("asset")}
    assert statuses["ZC-2026-0001"].removable_media == "scan_first"
    assert statuses["ZC-2026-0002"].last_full_scan_on is None
    rows = {row.asset.number: row.problems for row in endpoints.endpoint_rows()}
    assert rows["ZC-2026-0001"] == [] and rows["ZC-2026-0002"] == ["无全盘查毒记录"]


def test_the_endpoint_screens(center, people, client):
    laptop = asset(people.network_admin, kind="laptop", number="ZC-2026-0001")
    login_as(client, people.network_admin)
    page = client.get("/admin/vulns/endpoints/")
    assert page.status_code == 200 and "未登记杀毒软件" in page.content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/admin/vulns/endpoints/{laptop.pk}/",
        {
            "antivirus": "火绒安全 6.0",
            "signatures_updated_on": today,
            "last_full_scan_on": "",
            "removable_media": "blocked",
        },
    )
    assert response.status_code == 302
    assert "无全盘查毒记录" in client.get("/admin/vulns/endpoints/").content.decode()
