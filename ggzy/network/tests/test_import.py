"""Importing an existing device inventory (网络安全管理办法 四(三)): CSV (UTF-8 with BOM,
GBK) and xlsx with Chinese headers, all or nothing, a preview that writes nothing,
existing devices updated only when asked, audited with the counts."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from ggzy.accounts.tests.factories import login_as
from ggzy.audit.models import AuditEvent
from ggzy.core.tests.access import is_refusal
from ggzy.facility.tests.factories import machine_room
from ggzy.network import importing
from ggzy.network.models import Device, Segment

pytestmark = pytest.mark.django_db

HEADER = [
    "设备名称",
    "设备类型",
    "厂商",
    "型号",
    "序列号",
    "系统平台",
    "管理地址",
    "SSH 端口",
    "直接责任人",
    "关键设备",
    "面向互联网",
    "网段",
    "机房",
    "机柜/位置",
    "软件版本",
    "目标版本",
]
ROWS = [
    [
        "CORE-SW-1",
        "交换机",
        "华为",
        "S5735",
        "SN001",
        "华为 VRP",
        "10.0.0.1",
        "22",
        "{owner}",
        "是",
        "否",
        "核心业务网段",
        "一号机房",
        "A01-20U",
        "V200R019C10SPC500",
        "V200R021",
    ],
    [
        "EDGE-FW",
        "防火墙",
        "H3C",
        "F1000",
        "SN002",
        "H3C Comware",
        "10.0.0.2",
        "2222",
        "",
        "是",
        "是",
        "互联网区",
        "",
        "",
        "",
        "",
    ],
    [
        "EDGE-RTR",
        "router",
        "Cisco",
        "ISR4321",
        "",
        "cisco_ios",
        "10.0.0.3",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
]


@pytest.fixture
def world(team):
    Segment.objects.create(name="核心业务网段", cidr="10.0.0.0/24", important=True)
    machine_room(team.machine_room_admin)
    team.network_admin.last_name, team.network_admin.first_name = "王", "建国"
    team.network_admin.save()
    return team


def rows(team, extra=(), *, owner=None):
    out = [[c.replace("{owner}", owner or team.network_admin.username) for c in row] for row in ROWS]
    return out + [list(r) for r in extra]


def csv_file(data, *, encoding="utf-8-sig", header=HEADER, name="devices.csv"):
    text = "\r\n".join(",".join(row) for row in [header, *data]) + "\r\n"
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(data, *, header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in data:
        # Excel stores a port as a number; a cell left empty is None.
        sheet.append([int(c) if c.isdigit() and len(c) < 6 else (c or None) for c in row])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("devices.xlsx", out.getvalue())


def refused(upload, actor, **kwargs):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        importing.import_inventory(upload=upload, actor=actor, **kwargs)
    return " ".join(caught.value.messages)


def assert_created(team):
    core = Device.objects.get(name="CORE-SW-1")
    assert (core.kind, core.platform, core.ssh_port, core.owner) == (
        "switch",
        "huawei_vrp",
        22,
        team.network_admin,
    )
    assert core.key_device and not core.internet_facing and core.segment.name == "核心业务网段"
    assert (core.room.name, core.rack, core.software_version, core.target_version) == (
        "一号机房",
        "A01-20U",
        "V200R019C10SPC500",
        "V200R021",
    )
    edge = Device.objects.get(name="EDGE-FW")
    assert (edge.kind, edge.platform, edge.ssh_port, edge.internet_facing) == (
        "firewall",
        "hp_comware",
        2222,
        True,
    )
    assert edge.segment.name == "互联网区" and edge.owner is None and edge.room is None
    rtr = Device.objects.get(name="EDGE-RTR")
    assert (rtr.kind, rtr.platform, rtr.ssh_port, rtr.key_device) == ("router", "cisco_ios", 22, False)


@pytest.mark.parametrize(
    "make",
    [
        lambda data: csv_file(data),  # UTF-8 with BOM (Excel's “CSV UTF-8”)
        lambda data: csv_file(data, encoding="utf-8"),
        lambda data: csv_file(data, encoding="gbk"),  # Excel/WPS on a Chinese Windows
        xlsx_file,
    ],
    ids=["utf8-bom", "utf8", "gbk", "xlsx"],
)
def test_a_good_file_is_imported_in_every_format(world, make):
    result = importing.import_inventory(upload=make(rows(world)), actor=world.network_admin)
    assert result.counts() == {"created": 3, "updated": 0, "unchanged": 0, "segments_created": 1}
    assert_created(world)
    event = AuditEvent.objects.get(action="network.inventory.imported")
    assert event.actor_id == world.network_admin.pk
    assert (event.extra["created"], event.extra["segments_created"]) == (3, 1)


def test_the_owner_may_be_given_by_chinese_full_name(world):
    importing.import_inventory(upload=csv_file(rows(world, owner="王建国")), actor=world.network_admin)
    assert Device.objects.get(name="CORE-SW-1").owner == world.network_admin


def test_a_dry_run_writes_nothing_and_says_what_would_change(world):
    Device.objects.create(name="EDGE-RTR", kind="router", platform="cisco_ios", vendor="思科")
    result = importing.import_inventory(
        upload=csv_file(rows(world)), actor=world.network_admin, update_existing=True, dry_run=True
    )
    assert [d.name for d in result.created] == ["CORE-SW-1", "EDGE-FW"]
    assert [(c.device.name, c.changes) for c in result.changed] == [
        ("EDGE-RTR", [("厂商", "思科", "Cisco"), ("型号", "", "ISR4321"), ("管理地址", "", "10.0.0.3")])
    ]
    assert result.new_segments == ["互联网区"]
    assert Device.objects.count() == 1 and Device.objects.get().vendor == "思科"
    assert not Segment.objects.filter(name="互联网区").exists()
    assert not AuditEvent.objects.filter(action="network.inventory.imported").exists()


def test_an_existing_device_is_updated_only_when_asked(world):
    Device.objects.create(name="EDGE-RTR", kind="router", platform="cisco_ios", vendor="思科", rack="B2")
    message = refused(csv_file(rows(world)), world.network_admin)
    assert "第 4 行“设备名称”列" in message and "已在登记中" in message
    assert Device.objects.count() == 1 and not Segment.objects.filter(name="互联网区").exists()
    result = importing.import_inventory(
        upload=csv_file(rows(world)), actor=world.network_admin, update_existing=True
    )
    assert result.counts() == {"created": 2, "updated": 1, "unchanged": 0, "segments_created": 1}
    rtr = Device.objects.get(name="EDGE-RTR")
    assert (rtr.vendor, rtr.model, rtr.rack) == ("Cisco", "ISR4321", "B2")  # an empty cell keeps the value
    again = importing.import_inventory(
        upload=csv_file(rows(world)), actor=world.network_admin, update_existing=True
    )
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 3, "segments_created": 0}
    assert AuditEvent.objects.filter(action="network.inventory.imported").count() == 2


BAD = [
    (0, "设备类型", "交换器", "不是设备类型"),
    (0, "系统平台", "JunOS", "不是系统平台"),
    (0, "SSH 端口", "70000", "端口应为 1–65535"),
    (0, "SSH 端口", "twenty-two", "端口应为 1–65535"),
    (0, "直接责任人", "nobody", "没有用户名或姓名"),
    (0, "关键设备", "也许", "应填“是”或“否”"),
    (0, "面向互联网", "maybe", "应填“是”或“否”"),
    (0, "机房", "九号机房", "机房登记中没有"),
    (0, "型号", "x" * 101, "超过 100 个字符"),
    (0, "设备名称", "", "设备名称为空"),
    (1, "设备名称", "CORE-SW-1", "与第 2 行重名"),
    (2, "设备类型", "", "新设备必须填写设备类型"),
    (2, "系统平台", "", "新设备必须填写系统平台"),
]


@pytest.mark.parametrize(("index", "column", "value", "reason"), BAD, ids=[f"{b[1]}-{b[3]}" for b in BAD])
def test_each_kind_of_bad_row_is_named_and_nothing_is_written(world, index, column, value, reason):
    data = rows(world)
    data[index][HEADER.index(column)] = value
    message = refused(csv_file(data), world.network_admin)
    header = "".join(column.split())
    assert f"第 {index + 2} 行“{header}”列" in message and reason in message
    assert not Device.objects.exists() and Segment.objects.count() == 1
    assert not AuditEvent.objects.filter(action="network.inventory.imported").exists()


def test_a_bad_row_in_an_xlsx_is_named_by_its_line(world):
    data = rows(world)
    data[2][HEADER.index("系统平台")] = "Windows"
    assert "第 4 行“系统平台”列" in refused(xlsx_file(data), world.network_admin)
    assert not Device.objects.exists()


def test_a_full_name_two_people_share_asks_for_the_user_name(world):
    from ggzy.accounts.choices import RoleKey
    from ggzy.accounts.tests.factories import make_user

    make_user(RoleKey.SYSTEM_ADMIN, last_name="王", first_name="建国")
    assert "对应多个用户" in refused(csv_file(rows(world, owner="王建国")), world.network_admin)


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (lambda: csv_file([], header=["名称", "类型"]), "缺少列：设备名称"),
        (
            lambda: csv_file([["A", "交换机", "x"]], header=["设备名称", "设备类型", "颜色"]),
            "无法识别的列：颜色",
        ),
        (lambda: csv_file([], header=["设备名称", "设备名称"]), "列重复"),
        (lambda: csv_file([], header=HEADER), "没有数据行"),
        (
            lambda: csv_file([["A", "交换机", "华为VRP", "extra"]], header=[*HEADER[:2], "系统平台"]),
            "单元格比表头多",
        ),
        (lambda: SimpleUploadedFile("d.csv", "设备名称\n交换机\n".encode("utf-16")), "UTF-8 或 GBK"),
        (lambda: SimpleUploadedFile("d.xlsx", b"PK\x03\x04not really a workbook"), "无法读取 Excel"),
    ],
    ids=["missing", "unknown", "duplicate", "empty", "extra-cells", "encoding", "broken-xlsx"],
)
def test_a_bad_file_is_refused(world, upload, reason):
    assert reason in refused(upload(), world.network_admin)
    assert not Device.objects.exists()


def test_a_file_over_the_limit_is_refused(world, monkeypatch):
    monkeypatch.setattr(importing, "MAX_MB", 1)
    filler = [[f"SW-{i}", "交换机", "x" * 90, "", "", "华为 VRP"] + [""] * 10 for i in range(11000)]
    assert "文件过大（上限 1 MB）" in refused(csv_file(filler), world.network_admin)


def test_too_many_rows_are_refused(world, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    assert "数据行超过 2 行" in refused(csv_file(rows(world)), world.network_admin)


def test_only_the_network_admin_imports(world):
    from django.core.exceptions import PermissionDenied

    for person in (world.security_admin, world.audit_admin, world.system_admin, world.head):
        with pytest.raises(PermissionDenied):
            importing.import_inventory(upload=csv_file(rows(world)), actor=person)
    assert not Device.objects.exists()


# --------------------------------------------------------------------------- screen


def test_the_screen_previews_then_imports(world, client):
    login_as(client, world.network_admin)
    url = reverse("network_import")
    assert client.get(url).status_code == 200
    page = client.post(url, {"upload": csv_file(rows(world)), "action": "preview"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "将新建 3 台设备，更新 0 台，0 台无变化，新建 1 个网段。" in text and "互联网区" in text
    assert not Device.objects.exists()
    done = client.post(url, {"upload": csv_file(rows(world)), "action": "import"})
    assert done.status_code == 302 and done.url == reverse("network_index")
    assert Device.objects.count() == 3
    assert AuditEvent.objects.filter(action="network.inventory.imported").count() == 1


def test_the_screen_names_the_bad_row_and_writes_nothing(world, client):
    login_as(client, world.network_admin)
    data = rows(world)
    data[1][HEADER.index("SSH 端口")] = "99999"
    page = client.post(reverse("network_import"), {"upload": csv_file(data), "action": "import"})
    assert page.status_code == 200
    assert "第 3 行“SSH端口”列：端口应为 1–65535 的整数，实为“99999”。" in page.content.decode()
    assert not Device.objects.exists()


def test_the_screen_updates_existing_devices_only_when_chosen(world, client):
    Device.objects.create(name="EDGE-RTR", kind="router", platform="cisco_ios")
    login_as(client, world.network_admin)
    url = reverse("network_import")
    page = client.post(url, {"upload": csv_file(rows(world)), "action": "import"})
    assert "已在登记中" in page.content.decode() and Device.objects.count() == 1
    done = client.post(url, {"upload": csv_file(rows(world)), "action": "import", "update_existing": "on"})
    assert done.status_code == 302 and Device.objects.get(name="EDGE-RTR").vendor == "Cisco"


def test_other_roles_are_refused_the_screen(world, client):
    for person in (world.security_admin, world.audit_admin, world.system_admin, world.drafter):
        login_as(client, person)
        assert is_refusal(client.get(reverse("network_import")))
        assert is_refusal(client.post(reverse("network_import"), {"upload": csv_file(rows(world))}))
    assert not Device.objects.exists()


# --------------------------------------------------------------------------- command


def test_the_command_imports_and_refuses_in_english(world, tmp_path):
    good = tmp_path / "devices.csv"
    good.write_bytes(csv_file(rows(world), encoding="gbk").read())
    out = io.StringIO()
    call_command("network_import", str(good), "--as", world.network_admin.username, "--dry-run", stdout=out)
    assert "3 device(s) would be created" in out.getvalue() and not Device.objects.exists()
    call_command("network_import", str(good), "--as", world.network_admin.username, stdout=io.StringIO())
    assert Device.objects.count() == 3
    with pytest.raises(
        CommandError, match=r"line 2, column 设备名称: device 'CORE-SW-1' is already registered"
    ):
        call_command("network_import", str(good), "--as", world.network_admin.username)
    data = rows(world)
    data[0][0] = "NEW-SW"
    data[0][HEADER.index("关键设备")] = "也许"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx_file(data).read())
    with pytest.raises(
        CommandError, match=r"line 2, column 关键设备: expected 是/否, not '也许'; nothing imported"
    ):
        call_command("network_import", str(bad), "--as", world.network_admin.username, "--update-existing")
    with pytest.raises(CommandError, match="may not import"):
        call_command("network_import", str(good), "--as", world.security_admin.username)
    assert Device.objects.count() == 3 and not Device.objects.filter(name="NEW-SW").exists()
