"""The compliance dashboard in Debian's Chromium (issue 21, "Done when"): the
网络管理员, who owns the quarterly asset-ledger check (网络与系统安全维护管理制度
一(三), an `evidenced` clause), completes the due occurrence with a photo from
我的定期义务; the 安全管理员 watching the dashboard sees the clause turn 符合."""

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PIL import Image
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.compliance.choices import OccurrenceState
from ggzy.compliance.models import Occurrence
from ggzy.compliance.services import occurrences_generate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The quarterly check falls due on 2026-12-31, within its 14 days' notice.
NOW = dt.datetime(2026, 12, 18, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "gray").save(out, "PNG")
    return out.getvalue()


def test_an_owner_completes_a_duty_with_a_photo_and_the_clause_turns_met(
    center, live_server, page, other_page
):
    with time_machine.travel(NOW, tick=True):
        # The occurrences as the daily task would have generated them on this day.
        Occurrence.objects.all().delete()
        occurrences_generate(today=NOW.date())
        network = make_user(RoleKey.NETWORK_ADMIN, username="wangluo")
        security = make_user(RoleKey.SECURITY_ADMIN, username="anquan")

        browser_login(other_page, live_server, security)
        other_page.goto(live_server.url + "/admin/compliance/?regulation=wh")
        row = other_page.locator('[id="clause-wh.1.3"]')
        expect(row.locator(".clause-status")).to_have_text("即将到期")
        expect(row).to_contain_text("将于 2026-12-31 到期")

        browser_login(page, live_server, network)
        page.get_by_role("button", name="合规管理").click()
        page.get_by_role("link", name="我的定期义务").click()
        expect(page).to_have_url(re.compile(r"/admin/compliance/mine/$"))
        duty = page.locator("#my-open tbody tr", has_text="计算机硬件及维修工具资产台账核对")
        expect(duty).to_contain_text("2026-12-31")
        duty.get_by_role("link", name="填写并完成").click()

        expect(page.locator("main")).to_contain_text("可接受范围：0 – 0")
        page.get_by_label("账实不符项数").fill("0")
        page.locator("#evidence").set_input_files(
            files=[{"name": "资产台账.png", "mimeType": "image/png", "buffer": png()}]
        )
        page.get_by_label("说明").fill("账实相符")
        page.get_by_role("button", name="提交并完成").click()
        expect(page).to_have_url(re.compile(r"/admin/compliance/mine/$"))
        expect(page.locator(".messages")).to_contain_text("状态：已完成")
        expect(page.locator("#my-done")).to_contain_text("计算机硬件及维修工具资产台账核对")

        done = Occurrence.objects.get(obligation__key="wh-asset-ledger", due_on=dt.date(2026, 12, 31))
        assert done.state == OccurrenceState.DONE and done.done_by == network
        evidence = done.attachments.get()

        other_page.reload()
        row = other_page.locator('[id="clause-wh.1.3"]')
        expect(row.locator(".clause-status")).to_have_text("符合")
        row.get_by_role("link", name=re.compile("网络与系统安全维护管理制度")).click()
        expect(other_page.locator("#clause-status")).to_contain_text("符合")
        expect(other_page.locator("#obligation-wh-asset-ledger")).to_contain_text(evidence.sha256)
        expect(other_page.locator("#obligation-wh-asset-ledger")).to_contain_text("wangluo")
