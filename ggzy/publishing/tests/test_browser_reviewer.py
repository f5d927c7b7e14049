"""Issue 20, the admin as reviewers meet it: one green message after their step
(no red refusal from an editor that is no longer theirs), 签发发布 on the last step,
and the drafter sees the reviewer's 退回修改 comment on the item and the dashboard."""

import re

import pytest
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.browser import browser_login as login
from ggzy.accounts.tests.factories import make_user
from ggzy.portal.models import ArticlePage
from ggzy.portal.tests.factories import column
from ggzy.publishing.services import submit_for_review
from ggzy.publishing.tests.factories import approve, draft_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_actions(page):
    page.locator("footer .w-dropdown__toggle, footer [data-w-dropdown-target='toggle']").first.click()


def test_approval_lands_on_the_dashboard_with_one_green_message(center, live_server, page):
    drafter = make_user(R.DRAFTER, department="jianshe", last_name="李", first_name="小明")
    head = make_user(R.DEPARTMENT_HEAD, department="jianshe", last_name="王", first_name="建国")
    article = draft_article(column("zlxz/bgxz"), drafter, title="进场登记须知（2026）")
    submit_for_review(page=article, actor=drafter)

    login(page, live_server, head)
    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    open_actions(page)
    page.get_by_role("button", name="科室审核通过", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    green = page.locator(".messages li.success")
    expect(green).to_have_count(1)
    expect(green.first).to_contain_text("进场登记须知（2026）")
    expect(page.locator(".messages .error")).to_have_count(0)
    expect(page.get_by_text("对不起，你没有权限访问。")).to_have_count(0)


def test_the_last_step_says_sign_and_publish(center, live_server, page):
    drafter = make_user(R.DRAFTER, department="jianshe")
    article = draft_article(column("zlxz/bgxz"), drafter, title="最后一步的按钮")
    submit_for_review(page=article, actor=drafter)
    approve(article, make_user(R.DEPARTMENT_HEAD, department="jianshe"))
    approve(article, make_user(R.REVIEW_GROUP, department="zonghe"))
    approve(article, make_user(R.LEADER, department="zonghe"))
    publisher = make_user(R.PUBLISHER, department="xinxi")

    login(page, live_server, publisher)
    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    open_actions(page)
    expect(page.get_by_role("button", name="签发发布", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="审核通过", exact=True)).to_have_count(0)


def test_the_drafter_sees_the_reviewers_comment_after_a_rejection(center, live_server, page):
    drafter = make_user(R.DRAFTER, department="jianshe", last_name="李", first_name="小明")
    head = make_user(R.DEPARTMENT_HEAD, department="jianshe", last_name="王", first_name="建国")
    article = draft_article(column("zlxz/bgxz"), drafter, title="需要修改的登记须知")
    submit_for_review(page=article, actor=drafter)

    login(page, live_server, head)
    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    open_actions(page)
    page.get_by_role("button", name="退回修改", exact=True).click()
    page.locator(".modal textarea").fill("附件缺少盖章页，请补充。")
    page.locator(".modal button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator(".messages .error")).to_have_count(0)

    login(page, live_server, drafter)
    panel = page.locator("#rejections")
    expect(panel).to_contain_text("需要修改的登记须知")
    expect(panel).to_contain_text("王建国")  # the name in Chinese order
    expect(panel).to_contain_text("附件缺少盖章页，请补充。")
    panel.get_by_role("link", name="需要修改的登记须知").click()
    expect(page.locator(".messages")).to_contain_text("王建国 退回修改")
    expect(page.locator(".messages")).to_contain_text("附件缺少盖章页，请补充。")
    assert ArticlePage.objects.get(pk=article.pk).current_workflow_state.status == "needs_changes"
