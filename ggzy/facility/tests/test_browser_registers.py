"""In Debian's Chromium: the 机房管理员 hands a key over to a colleague from the
registers (网络机房管理制度 二(九)); the 监控管理员 archives a key project's exported
recording and lends it under an approved viewing request (监控管理制度 三、四)."""

import hashlib

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.facility import services
from ggzy.facility.models import Key, Recording, ViewingRequest
from ggzy.facility.registers import FACILITY_REGISTERS as REGS

from .factories import machine_room
from .test_registers import MP4

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_key_handover(center, live_server, page):
    keeper = make_user(RoleKey.MACHINE_ROOM_ADMIN, username="jifang", first_name="明", last_name="张")
    colleague = make_user(RoleKey.MACHINE_ROOM_ADMIN, username="jieban")
    room = machine_room(keeper)
    today = timezone.localdate().isoformat()
    REGS.save(
        register=REGS["keys"],
        instance=None,
        data={"room": room.pk, "label": "主机房门", "copies": 2, "holder": keeper.pk, "since": "2026-01-01"},
        actor=keeper,
    )
    browser_login(page, live_server, keeper)
    page.get_by_role("button", name="运维管理").click()
    page.get_by_role("link", name="机房登记簿", exact=True).click()
    page.get_by_role("link", name="钥匙交接").click()
    page.get_by_role("link", name="新增").click()
    page.get_by_label("钥匙").select_option(label="一号机房 主机房门")
    page.get_by_label("接收人").select_option(label="jieban")
    page.get_by_label("交接日期").fill(today)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("必需字段")  # the reason
    page.get_by_label("交接原因").fill("轮岗交接")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#register")).to_contain_text("轮岗交接")
    assert Key.objects.get().holder == colleague


def test_a_recording_is_archived_and_lent_under_an_approved_viewing(center, live_server, page, tmp_path):
    monitor = make_user(RoleKey.MONITORING_ADMIN, username="jiankong")
    supervision = make_user(RoleKey.DEPARTMENT_HEAD, department="jiandu")
    today = timezone.localdate()
    request = services.viewing_request_file(
        actor=monitor,
        department="市纪委",
        person="张三",
        purpose="核查开标过程",
        project_code="JZ-2026-101",
        session_date=today,
    )
    services.viewing_request_decide(request=request, actor=supervision, approve=True)
    video = tmp_path / "开标.mp4"
    video.write_bytes(MP4)

    browser_login(page, live_server, monitor)
    page.goto(live_server.url + "/admin/facility/recordings/")
    page.get_by_role("link", name="录像存档").click()
    page.get_by_label("项目编号").fill("JZ-2026-101")
    page.get_by_label("开标/评标日期").fill(today.isoformat())
    page.get_by_label("场地").fill("第一开标室")
    page.get_by_label("介质").select_option(label="导出文件")
    page.get_by_label("标签").fill("JZ-2026-101 开标全程")
    page.get_by_label("存放位置").fill("监控服务器 /archive")
    page.get_by_label("保存期限").fill(today.replace(year=today.year + 10).isoformat())
    page.get_by_label("导出文件（可选，视频）").set_input_files(str(video))
    page.get_by_role("button", name="存档").click()
    expect(page.locator("#recordings")).to_contain_text("JZ-2026-101 开标全程")
    recording = Recording.objects.get()
    assert recording.sha256 == hashlib.sha256(MP4).hexdigest()

    page.goto(live_server.url + "/admin/facility/viewings/")
    row = page.locator(f"#viewing-{request.pk}")
    row.get_by_label("调阅或复制情况").fill("市纪委张三现场调阅")
    row.get_by_label("外借 JZ-2026-101 开标全程（导出文件）").check()
    row.get_by_role("button", name="登记调阅").click()
    expect(page.locator(f"#viewing-{request.pk}")).to_contain_text("外借录像")
    assert list(ViewingRequest.objects.get().recordings.all()) == [recording]
    page.goto(live_server.url + "/admin/facility/recordings/")
    expect(page.locator(f"#recording-{recording.pk}")).to_contain_text("已借出")
