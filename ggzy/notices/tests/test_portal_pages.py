"""The portal as bidders use it (issue 20): the home page's 交易信息 and 开标日程,
notice pages, column lists, the project view and 信息来源."""

import logging
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.models import Department
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.notices.choices import NoticeKind as K
from ggzy.notices.formats import format_amount, format_size
from ggzy.notices.projects import project_url
from ggzy.notices.selectors import bid_schedule, project_notices, schedule_days
from ggzy.notices.tests.factories import at, d, publish_notice
from ggzy.portal.tests.factories import column, publish_article

pytestmark = pytest.mark.django_db


def section(html: str, marker: str) -> str:
    return html.split(marker, 1)[1].split("</section>", 1)[0]


def panel(html: str, panel_id: str) -> str:
    """The HTML of one tab panel (up to the next panel of any level)."""
    rest = html.split(f'id="{panel_id}"', 1)[1]
    return re.split(r'<div class="tab-panel"|</section>', rest, maxsplit=1)[0]


# --------------------------------------------------------------------------- 交易信息


def test_home_shows_trading_information_first_by_type_and_stage(client):
    with time_machine.travel(at("2026-11-02", "10:00")):
        tender = publish_notice(K.CONSTRUCTION_TENDER, title="道路工程招标公告")
        procurement = publish_notice(K.PROCUREMENT_TENDER, title="办公设备采购公告")
        candidates = publish_notice(K.CONSTRUCTION_CANDIDATES, title="道路工程中标候选人公示")
    with time_machine.travel(at("2026-11-09", "10:00")):
        change = publish_notice(
            K.PROCUREMENT_CHANGE,
            title="办公设备采购变更公告",
            changed_notice=procurement,
            bid_deadline=at("2026-11-25"),
        )
    publish_article(column("zytz"), "关于调整办公时间的通知")

    html = client.get("/").content.decode()

    # 交易信息 comes before every other box, and stands for the 交易信息 column's own box.
    assert (
        html.index('class="trading"') < html.index('class="schedule"') < html.index("关于调整办公时间的通知")
    )
    assert 'class="section section-jyxx"' not in html
    assert 'data-tab-label="建设工程"' in html and 'data-tab-label="政府采购"' in html
    # Trading types and stages with nothing published have no tab.
    assert 'id="trade-property"' not in html and 'id="trade-land"' not in html
    assert 'id="trade-construction-change"' not in html

    construction_notices = panel(html, "trade-construction-notice")
    assert tender.title in construction_notices and candidates.title not in construction_notices
    assert "2026-11-02" in construction_notices  # each item with its date
    assert f"项目编号：{tender.project_code}" in construction_notices
    assert candidates.title in panel(html, "trade-construction-result")
    assert change.title in panel(html, "trade-procurement-change")
    assert procurement.title in panel(html, "trade-procurement-notice")
    assert 'href="/jyxx/zfcg/bggg/">更多政府采购变更' in html
    # The tabs are this site's own script (the public CSP: no inline or outside script).
    assert re.search(r'<script src="/static/portal/pages[^"]*\.js" defer>', html)
    assert "<script>" not in html


def test_home_orders_the_other_columns_and_shows_picture_news(client):
    from wagtail.images.tests.utils import get_test_image_file

    image = (
        __import__("wagtail.images", fromlist=["get_image_model"])
        .get_image_model()
        .objects.create(title="开标大厅", file=get_test_image_file())
    )
    publish_article(column("zlxz/bgxz"), "投标报名表")
    publish_article(column("bszn/fwzn"), "投标人注册指南")
    publish_article(column("zcfg/gjj"), "招标投标法")
    publish_article(
        column("zxdt/tpxw"),
        "中心开展开放日活动",
        body=f'<p>活动</p><embed embedtype="image" format="fullwidth" id="{image.pk}" alt="开标大厅"/>',
    )
    publish_article(column("zytz"), "重要通知一则")

    html = client.get("/").content.decode()

    order = [
        html.index(f'class="section section-{slug}"') for slug in ("zytz", "zxdt", "zcfg", "bszn", "zlxz")
    ]
    assert order == sorted(order)
    pictures = section(html, 'class="section section-zxdt"')
    assert '<ul class="picture-news">' in pictures
    assert re.search(r'<img [^>]*alt="中心开展开放日活动"', pictures)
    assert "中心开展开放日活动" in pictures
    # Columns with nothing published are not on the home page at all.
    assert 'class="section section-llyj"' not in html and "暂无信息" not in html


# --------------------------------------------------------------------------- 开标日程


def test_bid_schedule_lists_today_and_the_next_working_days_with_rooms(client):
    with time_machine.travel(at("2026-11-02", "10:00")):
        road = publish_notice(
            K.CONSTRUCTION_TENDER,
            project_name="某道路改造工程",
            bid_deadline=at("2026-11-23", "09:30"),
            bid_opening=at("2026-11-23", "09:30"),
            bid_opening_room="第一开标室",
        )
        office = publish_notice(
            K.PROCUREMENT_TENDER,
            project_name="办公设备采购",
            bid_deadline=at("2026-11-24", "14:30"),
            bid_opening=at("2026-11-24", "14:30"),
            bid_opening_room="第二开标室",
        )
        later = publish_notice(
            K.PROCUREMENT_TENDER,
            project_name="远期采购",
            bid_deadline=at("2026-12-10"),
            bid_opening=at("2026-12-10"),
        )
    with time_machine.travel(at("2026-11-09", "10:00")):
        # A 变更公告 moves the opening: the schedule shows the new time and room.
        publish_notice(
            K.PROCUREMENT_CHANGE,
            changed_notice=office,
            bid_deadline=at("2026-11-25", "09:00"),
            bid_opening=at("2026-11-25", "09:00"),
            bid_opening_room="第三开标室",
        )

    with time_machine.travel(at("2026-11-23", "07:00"), tick=False):  # a Monday
        html = client.get("/").content.decode()
        schedule = bid_schedule()

    assert [day.day.isoformat() for day in schedule.days] == [
        "2026-11-23",
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
    ]
    assert schedule.warning == ""
    block = section(html, 'class="schedule"')
    today = block.split('class="schedule-day today"')[1].split('class="schedule-day"')[0]
    assert "今天" in today and "09:30" in today and "某道路改造工程" in today and "第一开标室" in today
    assert road.project_code in today
    assert "11月24日" in block and "当日无开标项目" in block  # the 24th has nothing left
    moved = block.split('datetime="2026-11-25"')[1].split('class="schedule-day"')[0]
    assert "办公设备采购" in moved and "第三开标室" in moved and "已变更" in moved
    assert "第二开标室" not in block
    assert later.project_name not in block


def test_bids_open_at_the_deadline_without_an_opening_time_and_the_screens_read_the_same():
    """招标投标法 第三十四条: without a separate 开标时间 the bids open at the deadline; a
    change that moves only the deadline moves the opening; the place is the 开标地点
    field, else what the text states; the hall's screens show the same openings."""
    from ggzy.screens.selectors import bid_openings_on

    with time_machine.travel(at("2026-10-26", "10:00")):
        publish_notice(
            K.CONSTRUCTION_TENDER,
            project_name="桥梁维修工程",
            bid_deadline=at("2026-11-23", "09:00"),
            bid_opening=None,
            body="<p>开标地点：焦作市公共资源交易中心第四开标室。</p>",
        )
        moved = publish_notice(
            K.PROCUREMENT_TENDER,
            project_name="监控设备采购",
            bid_deadline=at("2026-11-23", "15:00"),  # moved to the 24th below
            bid_opening=None,
            bid_opening_room="第二开标室",
        )
    with time_machine.travel(at("2026-11-06", "10:00")):  # 15 days before the new deadline
        publish_notice(K.PROCUREMENT_CHANGE, changed_notice=moved, bid_deadline=at("2026-11-24", "14:00"))

    with time_machine.travel(at("2026-11-23", "07:00"), tick=False):  # a Monday
        days = bid_schedule().days
        screens = [bid_openings_on(d("2026-11-23")), bid_openings_on(d("2026-11-24"))]
    assert [
        [(o.at.strftime("%H:%M"), o.notice.project_name, o.room, o.changed) for o in day.openings]
        for day in days[:2]
    ] == [
        [("09:00", "桥梁维修工程", "焦作市公共资源交易中心第四开标室", False)],
        [("14:00", "监控设备采购", "第二开标室", True)],
    ]
    assert [[(o.time, o.place, o.changed) for o in day] for day in screens] == [
        [("09:00", "焦作市公共资源交易中心第四开标室", False)],
        [("14:00", "第二开标室", True)],
    ]


def test_schedule_skips_holidays_and_counts_make_up_working_days():
    # 2026 国庆: 10-01..10-07 off, Saturday 10-10 a make-up working day (调休).
    days, warning = schedule_days(d("2026-09-30"))
    assert [x.isoformat() for x in days] == ["2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10"]
    assert warning == ""


def test_a_year_without_a_calendar_is_a_warning_not_a_crash(client, caplog):
    with caplog.at_level(logging.WARNING), time_machine.travel(at("2099-12-30", "08:00"), tick=False):
        response = client.get("/")
        days, warning = schedule_days(d("2099-12-30"))
    assert response.status_code == 200
    assert "2100年的法定节假日安排尚未录入" in warning
    assert [x.isoformat() for x in days][:2] == ["2099-12-30", "2099-12-31"]
    assert any("no working calendar" in r.getMessage() for r in caplog.records)


# --------------------------------------------------------------------------- notice pages


def test_notice_page_labels_amounts_and_periods_as_people_write_them(client):
    with time_machine.travel(at("2026-11-02", "10:00")):
        tender = publish_notice(
            K.CONSTRUCTION_TENDER, budget=Decimal("1180.00"), bid_opening_room="第一开标室"
        )
        procurement = publish_notice(K.PROCUREMENT_TENDER, budget=Decimal("11800000"), budget_unit="yuan")
        candidates = publish_notice(
            K.CONSTRUCTION_CANDIDATES, publicity_start=d("2026-11-02"), publicity_end=d("2026-11-05")
        )
        transfer = publish_notice(K.PROPERTY_TRANSFER)

    html = client.get(tender.url).content.decode()
    assert '<th scope="row">招标人</th>' in html
    assert "招标人/采购人/转让方" not in html
    assert "1,180.00 万元" in html
    assert "<strong>开标地点：</strong>第一开标室" in html
    assert '<th scope="row">招标文件获取时间</th><td>2026-11-02 09:00 至 2026-11-09 17:00</td>' in html
    assert "信息来源：建设工程交易科" in html or "信息来源：" in html
    assert re.search(r'<link rel="stylesheet" href="/static/portal/print[^"]*\.css" media="print">', html)
    assert f'href="{project_url(tender.project_code)}">本项目全部公告' in html

    assert '<th scope="row">采购人</th>' in client.get(procurement.url).content.decode()
    assert "¥11,800,000.00" in client.get(procurement.url).content.decode()
    assert '<th scope="row">转让方</th>' in client.get(transfer.url).content.decode()

    html = client.get(candidates.url).content.decode()
    assert "<strong>公示期：</strong>2026-11-02 至 2026-11-05" in html
    assert '<th scope="row">公示期</th><td>2026-11-02 至 2026-11-05</td>' in html
    assert "¥11,800,000.00" in html  # the candidate's bid price


def test_amounts_and_sizes():
    assert format_amount(Decimal("1180"), "wan_yuan") == "1,180.00 万元"
    assert format_amount(Decimal("11800000"), "yuan") == "¥11,800,000.00"
    assert format_size(820) == "820 B"
    assert format_size(12_800) == "12.5 KB"
    assert format_size(1_258_291) == "1.2 MB"


def test_change_history_is_at_the_top_and_attachments_show_type_and_size(client):
    document = get_document_model().objects.create(
        title="招标文件", file=ContentFile(b"%PDF-1.4 " + b"x" * 3000, name="zbwj.pdf")
    )
    with time_machine.travel(at("2026-11-02", "10:00")):
        tender = publish_notice(K.PROCUREMENT_TENDER, attachments=[("document", document)])
    with time_machine.travel(at("2026-11-09", "10:00")):
        change = publish_notice(
            K.PROCUREMENT_CHANGE,
            changed_notice=tender,
            bid_deadline=at("2026-11-25"),
            change_summary="投标截止时间顺延至11月25日。",
        )
    html = client.get(tender.url).content.decode()
    top = html.split('<table class="notice-fields">')[0]
    assert "本公告已变更" in top and change.title in top and "投标截止时间顺延至11月25日。" in top
    assert re.search(r"招标文件</a> <span class=\"file-meta\">（PDF，2\.9 KB）</span>", html)
    assert f'本公告变更的原公告：<a href="{tender.url}">' in client.get(change.url).content.decode()


def test_column_lists_show_project_code_and_deadline(client):
    with time_machine.travel(at("2026-11-02", "10:00")):
        tender = publish_notice(
            K.CONSTRUCTION_TENDER,
            bid_deadline=at("2026-11-23", "09:30"),
            bid_opening=at("2026-11-23", "09:30"),
        )
        publicity = publish_notice(K.CONSTRUCTION_CANDIDATES)
    publish_article(column("jyxx/jsgc/zbgg"), "招标公告说明", department="jianshe")
    html = client.get("/jyxx/jsgc/").content.decode()
    row = html.split(tender.title)[1].split("</li>")[0]
    assert f"项目编号：{tender.project_code}" in row and "投标截止时间：2026-11-23 09:30" in row
    row = html.split(publicity.title)[1].split("</li>")[0]
    assert "公示结束日期：2026-11-05" in row
    assert "项目编号" not in html.split("招标公告说明")[1].split("</li>")[0]


# --------------------------------------------------------------------------- project view


def test_project_view_lists_every_notice_of_the_code_in_order(client):
    code = "JZ2026-XM-7"
    with time_machine.travel(at("2026-11-02", "10:00")):
        tender = publish_notice(K.CONSTRUCTION_TENDER, project_code=code, title="招标公告")
        candidates = publish_notice(K.CONSTRUCTION_CANDIDATES, project_code=code, title="候选人公示")
        publish_notice(K.CONSTRUCTION_TENDER, project_code="OTHER-1", title="别的项目")
    with time_machine.travel(at("2026-11-10", "10:00")):
        result = publish_notice(K.CONSTRUCTION_RESULT, project_code=code, title="中标结果公示")

    assert [n.pk for n in project_notices(code)] == [tender.pk, candidates.pk, result.pk]
    response = client.get(f"/xm/{code}/")
    assert response.status_code == 200
    html = response.content.decode()
    titles = re.findall(r'<p class="step-title"><a href="[^"]+">([^<]+)</a>', html)
    assert titles == ["招标公告", "候选人公示", "中标结果公示"]
    assert "别的项目" not in html
    assert client.get("/xm/NO-SUCH-CODE/").status_code == 404
    assert (
        project_url("焦建招〔2026〕18号")
        == "/xm/%E7%84%A6%E5%BB%BA%E6%8B%9B%E3%80%942026%E3%80%9518%E5%8F%B7/"
    )


# --------------------------------------------------------------------------- 信息来源


def test_notice_source_defaults_to_the_drafters_department_and_is_shown(client):
    drafter = make_user(R.DRAFTER, department="caigou")
    with time_machine.travel(at("2026-11-02", "10:00")):
        notice = publish_notice(K.PROCUREMENT_TENDER, drafter=drafter)
    assert notice.source_department == Department.objects.get(code="caigou")
    html = client.get(notice.url).content.decode()
    assert f"信息来源：{notice.source_department.name}" in html
    assert f'<meta name="ContentSource" content="{notice.source_department.name}">' in html


def test_article_editor_requires_the_source_and_offers_the_drafters_department(client):
    drafter = make_user(R.DRAFTER, department="zonghe")
    login_as(client, drafter)
    url = f"/admin/pages/add/portal/articlepage/{column('zxdt/ztxx').pk}/"
    form = client.get(url).context["form"]
    assert form.fields["source_department"].required
    assert form.initial["source_department"] == drafter.department_id
    assert str(form.fields["source_department"].label) == "信息来源"

    trading = login_as(client, make_user(R.DRAFTER, department="jianshe"))
    notice_form = client.get(
        f"/admin/pages/add/notices/constructiontendernotice/{column('jyxx/jsgc/zbgg').pk}/"
    )
    assert str(notice_form.context["form"].fields["owner_name"].label) == "招标人"
    assert notice_form.context["form"].initial["source_department"] == trading.department_id
