"""The issue's main flow in Debian's Chromium (网络机房管理制度 一(三)、四; 监控管理制度 四):
the 机房管理员 opens today's duty log pre-filled from the room's sensors (a real SNMP
agent, snmpsim), completes it, and completes the due quarterly maintenance with the
UPS discharge reading; the 监控管理员 files a viewing request, the head of 交易监督科
approves it in a second browser, and the viewing is recorded."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.compliance.choices import OccurrenceState
from ggzy.compliance.models import Occurrence
from ggzy.compliance.services import occurrences_generate
from ggzy.facility import services
from ggzy.facility.choices import ReadingSource, ViewingState
from ggzy.facility.models import DutyLog, ViewingRequest

from .factories import machine_room, sensors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The quarterly maintenance falls due on 2026-12-31, within its 14 days' notice.
NOW = dt.datetime(2026, 12, 18, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def _operations(page, label):
    page.get_by_role("button", name="运维管理").click()
    page.get_by_role("link", name=label, exact=True).click()


def test_the_keeper_confirms_the_sensor_readings_and_completes_the_quarterly_maintenance(
    center, agent, live_server, page, other_page
):
    with time_machine.travel(NOW, tick=True):
        Occurrence.objects.all().delete()
        occurrences_generate(today=NOW.date())
        keeper = make_user(RoleKey.MACHINE_ROOM_ADMIN, username="jifang")
        room = machine_room(keeper)
        sensors(room, agent, keeper)
        services.poll_sensors()  # what the every-minute task has done

        # 1. Today's duty log, pre-filled from the sensors.
        browser_login(page, live_server, keeper)
        _operations(page, "机房值班")
        row = page.locator("#rooms tbody tr", has_text="一号机房")
        expect(row).to_contain_text("23.5 ℃")
        expect(row).to_contain_text("待填写")
        row.get_by_role("link", name="填写今日值班记录").click()
        expect(page.locator("#prefill")).to_contain_text("已根据机房传感器读数预填")
        expect(page.get_by_label("室内温度 ℃")).to_have_value("23.5")
        expect(page.get_by_label("室内湿度 %")).to_have_value("45.1")
        expect(page.get_by_label("正常", exact=True)).to_be_checked()
        # Incomplete: refused with the reasons, nothing stored.
        page.get_by_role("button", name="确认保存").click()
        expect(page.locator("#form-errors")).to_contain_text("请填写天气状况")
        expect(page.locator("#form-errors")).to_contain_text("灯光、门、窗、锁")
        assert not DutyLog.objects.exists()
        page.get_by_label("天气状况").fill("多云")
        page.get_by_label("网络和服务器运行情况（是否故障，如何排除）").fill("运行正常，无故障")
        page.get_by_label("用户求助和投诉（内容、性质、处理结果）").fill("无")
        for label in ("灯光已检查", "门已检查", "窗已检查", "锁已检查"):
            page.get_by_label(label).check()
        page.get_by_role("button", name="确认保存").click()
        expect(page.locator(".messages")).to_contain_text("值班记录已保存")
        expect(page.locator("#logs")).to_contain_text("2026-12-18")
        expect(page.locator("#logs")).to_contain_text("传感器读数（已确认）")
        expect(page.locator("#chart")).to_be_visible()
        log = DutyLog.objects.get()
        assert (log.temperature, log.humidity, log.readings_source) == (
            Decimal("23.5"),
            Decimal("45.1"),
            ReadingSource.SENSORS,
        )
        assert log.weather == "多云" and log.author == keeper

        # 2. The due quarterly maintenance, with the UPS discharge minutes (四).
        page.get_by_role("button", name="合规管理").click()
        page.get_by_role("link", name="我的定期义务").click()
        duty = page.locator("#my-open tbody tr", has_text="机房季度维护")
        expect(duty).to_contain_text("2026-12-31")
        duty.get_by_role("link", name="填写并完成").click()
        expect(page.locator("#occurrence-form")).to_contain_text("UPS 充放电")
        for radio in page.locator('input[type=radio][value="yes"]').all():
            radio.check()
        page.get_by_label("UPS 充放电：放电时长（分钟）").fill("35")
        page.get_by_role("button", name="提交并完成").click()
        expect(page.locator(".messages")).to_contain_text("状态：已完成")
        done = Occurrence.objects.get(
            obligation__key="jf-quarterly-maintenance", due_on=dt.date(2026, 12, 31)
        )
        assert done.state == OccurrenceState.DONE and done.done_by == keeper
        assert done.answers["ups_discharge_minutes"] == 35


def test_a_viewing_request_is_approved_and_the_viewing_recorded(center, live_server, page, other_page):
    watcher = make_user(RoleKey.MONITORING_ADMIN, username="jiankong")
    head = make_user(RoleKey.DEPARTMENT_HEAD, department="jiandu", username="jiandu")

    browser_login(page, live_server, watcher)
    _operations(page, "录像调阅")
    page.get_by_role("link", name="登记调阅申请").click()
    page.get_by_label("调阅部门").fill("市纪委监委")
    page.get_by_label("调阅人").fill("李四")
    page.get_by_label("调阅事由").fill("核查开标过程")
    page.get_by_label("项目编号").fill("JZJS-2026-018")
    page.get_by_label("交易日期").fill("2026-11-20")
    page.get_by_role("button", name="登记申请").click()
    expect(page.locator(".messages")).to_contain_text("待交易监督科负责人审批")
    request = ViewingRequest.objects.get()
    row = page.locator(f"#viewing-{request.pk}")
    expect(row).to_contain_text("待审批")
    expect(row.get_by_role("button", name="登记调阅")).to_have_count(0)

    browser_login(other_page, live_server, head)
    _operations(other_page, "录像调阅")
    other_row = other_page.locator(f"#viewing-{request.pk}")
    other_row.locator("select").select_option(label="同意")
    other_row.get_by_role("button", name="审批").click()
    expect(other_page.locator(f"#viewing-{request.pk}")).to_contain_text("已批准")

    page.reload()
    row = page.locator(f"#viewing-{request.pk}")
    row.get_by_label("调阅或复制情况").fill("现场调阅，复制光盘一张 GP-18")
    row.get_by_role("button", name="登记调阅").click()
    expect(page.locator(f"#viewing-{request.pk}")).to_contain_text("已调阅")
    request.refresh_from_db()
    assert request.state == ViewingState.VIEWED and request.decided_by == head
    assert "GP-18" in request.viewing_record
