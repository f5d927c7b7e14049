import pytest
from django.core.exceptions import ValidationError

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import make_user
from ggzy.notices.choices import KIND_COLUMNS, NoticeKind
from ggzy.notices.models import (
    NOTICE_MODELS,
    ConstructionTenderNotice,
    ProcurementTenderNotice,
)
from ggzy.notices.tests.factories import CREDIT_CODE, add_notice, at, publish_notice
from ggzy.notices.validators import validate_credit_code
from ggzy.portal.tests.factories import column
from ggzy.publishing.models import PublicationRecord
from ggzy.publishing.services import submit_for_review
from ggzy.publishing.tests.factories import approve

pytestmark = pytest.mark.django_db


def reload(page):
    return type(page).objects.get(pk=page.pk)


# --------------------------------------------------------------------------- credit code


def test_credit_code_with_a_correct_check_character_is_accepted():
    validate_credit_code(CREDIT_CODE)
    validate_credit_code(CREDIT_CODE.lower())


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (CREDIT_CODE[:17], "18位"),
        (CREDIT_CODE[:16] + "I" + CREDIT_CODE[17], "不含I、O、S、V、Z"),
        (CREDIT_CODE[:17] + ("0" if CREDIT_CODE[17] != "0" else "1"), "校验位错误"),
    ],
)
def test_credit_code_is_refused(code, message):
    with pytest.raises(ValidationError, match=message):
        validate_credit_code(code)


def test_notice_with_a_bad_credit_code_is_refused_on_save():
    with pytest.raises(ValidationError) as caught:
        add_notice(NoticeKind.CONSTRUCTION_TENDER, owner_credit_code="91410800MA44KJ7X30")
    assert "owner_credit_code" in caught.value.message_dict


# --------------------------------------------------------------------------- columns


def test_each_kind_lives_only_in_its_own_column():
    assert ConstructionTenderNotice.can_create_at(column("jyxx/jsgc/zbgg"))
    assert not ConstructionTenderNotice.can_create_at(column("jyxx/zfcg/cggg"))
    assert not ConstructionTenderNotice.can_create_at(column("zlxz/bgxz"))
    assert ProcurementTenderNotice.can_create_at(column("jyxx/zfcg/cggg"))
    zbgs = column("jyxx/jsgc/zbgs")
    creatable = {m.kind for m in NOTICE_MODELS.values() if m.can_create_at(zbgs)}
    assert creatable == {NoticeKind.CONSTRUCTION_CANDIDATES, NoticeKind.CONSTRUCTION_RESULT}


def test_notice_added_under_a_foreign_column_is_refused():
    notice = ConstructionTenderNotice(title="错放的公告", project_code="X", project_name="X", owner_name="X")
    with pytest.raises(ValidationError, match="只能发布在对应栏目下"):
        column("jyxx/zfcg/cggg").add_child(instance=notice)


# --------------------------------------------------------------------------- chain and public page


def test_a_notice_goes_live_only_through_the_trading_chain(client):
    drafter = make_user(R.DRAFTER, department="jianshe")
    head = make_user(R.DEPARTMENT_HEAD, department="jianshe")
    publisher = make_user(R.PUBLISHER, department="xinxi")
    notice = add_notice(NoticeKind.CONSTRUCTION_CANDIDATES, drafter=drafter)
    assert notice.get_workflow().name == "交易公告公示发布流程"
    submit_for_review(page=notice, actor=drafter)
    approve(reload(notice), head)
    assert not reload(notice).live
    approve(reload(notice), make_user(R.REVIEW_GROUP, department="zonghe"))  # 审核制度 (四)
    assert not reload(notice).live
    approve(reload(notice), publisher)
    notice = reload(notice)
    assert notice.live
    assert PublicationRecord.objects.get(page=notice).department.code == "jianshe"

    html = client.get(notice.url).content.decode()
    for text in (
        "项目编号",
        notice.project_code,
        "统一社会信用代码",
        CREDIT_CODE,
        "公示期",
        "2026-11-02 至 2026-11-05",
    ):
        assert text in html
    assert "甲建设有限公司" in html and "王工" in html and "第一名" in html
    assert '<meta name="ColumnName" content="中标公示">' in html
    # 信息来源: the drafter's department (附表 column policy), not the 招标人.
    assert '<meta name="ContentSource" content="建设工程交易科">' in html


@pytest.mark.parametrize("kind", [k for k in NoticeKind if k != NoticeKind.PROCUREMENT_CHANGE])
def test_every_kind_renders_its_structured_fields(client, kind):
    notice = publish_notice(kind)
    response = client.get(notice.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert str(NoticeKind(kind).label) in html
    for label, _value in notice.detail_items():
        assert label in html
    assert notice.detail_items(), "each kind shows kind-specific fields"


def test_a_change_notice_links_to_the_original_which_shows_it_was_changed(client):
    original = publish_notice(NoticeKind.PROCUREMENT_TENDER)
    change = publish_notice(NoticeKind.PROCUREMENT_CHANGE, changed_notice=original.page_ptr)
    html = client.get(original.url).content.decode()
    assert "本公告已变更" in html and change.title in html
    html = client.get(change.url).content.decode()
    assert "变更的原公告" in html and original.title in html


def test_a_change_notice_must_change_a_notice():
    with pytest.raises(ValidationError) as caught:
        add_notice(NoticeKind.PROCUREMENT_CHANGE, changed_notice=column("jyxx"))
    assert "changed_notice" in caught.value.message_dict


# --------------------------------------------------------------------------- listing filters


def test_column_listing_filters_by_kind_project_code_and_date(client):
    candidates = publish_notice(NoticeKind.CONSTRUCTION_CANDIDATES, project_code="JZ-A-001")
    result = publish_notice(NoticeKind.CONSTRUCTION_RESULT, project_code="JZ-B-002")
    draft = add_notice(NoticeKind.CONSTRUCTION_RESULT, project_code="JZ-A-003")
    url = column("jyxx/jsgc").url

    def titles(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {p.title for p in response.context["page_obj"].object_list}

    assert {candidates.title, result.title} <= titles()
    assert draft.title not in titles()
    assert titles(kind="construction.result") == {result.title}
    assert titles(project_code="JZ-A") == {candidates.title}
    today = candidates.first_published_at.date().isoformat()
    assert titles(date_from=today, project_code="JZ-") == {candidates.title, result.title}
    assert titles(date_to="2020-01-01") == set()
    html = client.get(url, {"date_from": "bad"}).content.decode()
    assert "格式应为YYYY-MM-DD" in html
    html = client.get(column("jyxx/jsgc/zbgs").url).content.decode()
    assert 'name="project_code"' in html and "中标候选人公示" in html


def test_non_trading_columns_have_no_notice_filter(client):
    assert client.get(column("zlxz/bgxz").url).context["column_filter"] is None


def test_tender_dates_must_be_in_order():
    with pytest.raises(ValidationError) as caught:
        add_notice(
            NoticeKind.CONSTRUCTION_TENDER,
            pickup_end=at("2026-11-01"),
            bid_opening=at("2026-11-20"),
        )
    assert "pickup_end" in caught.value.message_dict


def test_kind_columns_all_exist():
    for path in KIND_COLUMNS.values():
        assert column(path)


def test_pagination_keeps_the_filters(client, settings):
    settings.GGZY_PAGE_SIZE = 1
    for code in ("JZ-P-1", "JZ-P-2"):
        publish_notice(NoticeKind.CONSTRUCTION_RESULT, project_code=code)
    html = client.get(column("jyxx/jsgc").url, {"project_code": "JZ-P"}).content.decode()
    assert "project_code=JZ-P&amp;page=2" in html


def test_published_notices_are_on_the_home_page(client):
    notice = publish_notice(NoticeKind.CONSTRUCTION_TENDER, title="某道路工程施工招标公告")
    html = client.get("/").content.decode()
    trading = html.split(">交易信息</a></h2>")[1].split("</section>")[0]
    assert "某道路工程施工招标公告" in trading and notice.url in trading
