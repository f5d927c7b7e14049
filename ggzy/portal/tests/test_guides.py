"""办事指南 completeness (portal.guides_complete), per status."""

import datetime as dt

import pytest

from ggzy.compliance.registry import all_checks, run_check
from ggzy.portal.models import ColumnPolicy
from ggzy.portal.tests.factories import column, publish_article

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 4)
COMPLETE = (
    "<h2>事项名称</h2><p>建设工程招标项目进场交易</p><h2>设定依据</h2><p>《招标投标法》</p>"
    "<h2>申请条件</h2><p>已办理招标备案</p><h2>办理材料</h2><p>招标公告</p>"
    "<h2>办理地点</h2><p>中心一楼</p><h2>办理时间</h2><p>工作日</p>"
    "<h2>联系电话</h2><p>0391-1234567</p><h2>办理流程</h2><p>受理、审核、进场</p>"
)


def check():
    return run_check(all_checks()["portal.guides_complete"], today=TODAY)


def test_no_data_without_guides(center):
    assert check().status == "no_data"


def test_no_data_without_a_guide_column(center):
    ColumnPolicy.objects.filter(column_type="guide").update(column_type="news")
    result = check()
    assert result.status == "no_data" and "没有办事指南栏目" in result.detail


def test_met_when_every_guide_has_every_element(center):
    publish_article(column("bszn"), "建设工程进场交易服务指南", body=COMPLETE)
    # synonyms count: 申请材料 for 办理材料, 咨询电话 for 联系电话
    other = COMPLETE.replace("办理材料", "申请材料").replace("联系电话", "咨询电话")
    publish_article(column("bszn"), "政府采购进场交易服务指南", body=other)
    result = check()
    assert result.status == "met" and "2 篇" in result.detail


def test_failing_names_each_guide_and_what_it_lacks(center):
    publish_article(column("bszn"), "完整的指南", body=COMPLETE)
    lacking = COMPLETE.replace("<h2>设定依据</h2>", "").replace("<h2>联系电话</h2>", "")
    publish_article(column("bszn"), "产权交易服务指南", body=lacking)
    result = check()
    assert result.status == "failing"
    assert "1/2 篇" in result.detail and "《产权交易服务指南》缺设定依据、联系电话" in result.detail
    assert "完整的指南" not in result.detail


def test_an_unpublished_guide_is_not_counted(center):
    guide = publish_article(column("bszn"), "草稿指南", body="<p>无要素</p>")
    guide.unpublish()
    assert check().status == "no_data"


def test_two_queries(center, django_assert_max_num_queries):
    publish_article(column("bszn"), "建设工程进场交易服务指南", body=COMPLETE)
    with django_assert_max_num_queries(2):
        check()
