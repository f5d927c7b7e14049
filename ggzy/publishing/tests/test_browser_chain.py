"""The approval chain walked in Debian's Chromium, as the people who use it do."""

import re

import pytest
from playwright.sync_api import expect

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.browser import browser_login
from ggzy.accounts.tests.factories import make_user
from ggzy.portal.models import ArticlePage
from ggzy.portal.tests.factories import column

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


login = browser_login


def open_actions(page):
    """Open the editor's action menu (the caret beside the primary button)."""
    page.locator("footer .w-dropdown__toggle, footer [data-w-dropdown-target='toggle']").first.click()


def draft_and_submit(page, live_server, target, title, text):
    """Write an article in the editor and submit it to the column's chain."""
    posts = []  # what the browser sent, for the message below
    page.on("request", lambda r: r.method == "POST" and posts.append(f"{r.url} ({r.headers.get('accept')})"))
    page.goto(f"{live_server.url}/admin/pages/add/portal/articlepage/{target.pk}/")
    page.locator("#id_title").fill(title)
    page.locator(".Draftail-Editor [contenteditable='true']").first.click()
    # Draft.js takes key events; CJK text arrives by IME in real use, so type ASCII here.
    page.keyboard.type(text)
    expect(page.locator("input[name=body]")).to_have_value(re.compile(text))  # Draftail saved
    open_actions(page)
    expect(page.get_by_role("button", name=re.compile("^发布"))).to_have_count(0)
    page.get_by_role("button", name=re.compile("^提交")).click()
    expect(page.locator(".messages")).to_contain_text(title)
    # One submit makes one page. (Once, on PostgreSQL, two came of it: this says
    # whether the browser posted twice, if it happens again.)
    made = list(
        ArticlePage.objects.filter(title=title).values(
            "pk", "slug", "first_published_at", "latest_revision_created_at"
        )
    )
    assert len(made) == 1, f"pages: {made}; the browser's POSTs: {posts}"
    return ArticlePage.objects.get(pk=made[0]["pk"])


def workflow_action(page, live_server, article_id, label):
    page.goto(f"{live_server.url}/admin/pages/{article_id}/edit/")
    open_actions(page)
    page.get_by_role("button", name=label, exact=True).click()


def test_the_whole_chain_in_a_browser(center, live_server, page):
    drafter = make_user(R.DRAFTER, department="jianshe", last_name="李", first_name="信息员")
    head = make_user(R.DEPARTMENT_HEAD, department="jianshe", last_name="张", first_name="科长")
    group = make_user(R.REVIEW_GROUP, department="zonghe")
    leader = make_user(R.LEADER, department="zonghe")
    publisher = make_user(R.PUBLISHER, department="xinxi")
    target = column("zlxz/bgxz")

    # 信息员 drafts in a column their department supplies, and submits it.
    login(page, live_server, drafter)
    article = draft_and_submit(
        page, live_server, target, "建设工程进场登记表（2026版）", "Form 2026 replaces the 2025 edition."
    )
    assert not article.live and article.current_workflow_task.name == "科室负责人初审"

    # 科室负责人 approves.
    login(page, live_server, head)
    workflow_action(page, live_server, article.pk, "科室审核通过")
    expect(page.locator(".messages")).to_contain_text("建设工程进场登记表")

    # 信息发布管理小组: approving opens the modal; every checklist item must be ticked.
    login(page, live_server, group)
    assert ArticlePage.objects.get(pk=article.pk).current_workflow_task.name == "信息发布管理小组审核"
    workflow_action(page, live_server, article.pk, "审核通过")
    modal = page.locator(".modal")
    items = ArticlePage.objects.get(pk=article.pk).current_workflow_task.specific.checklist_items()
    modal.get_by_label(items[0]).check()
    modal.locator("button[type=submit]").click()
    # Refused: the form again, with the unticked item's error. Waiting for the
    # error (not for the item's label, which the first form shows too) keeps the
    # next tick off the form that is being replaced.
    expect(modal.get_by_label(items[1])).to_have_attribute("aria-invalid", "true")
    assert ArticlePage.objects.get(pk=article.pk).current_workflow_task.name == "信息发布管理小组审核"
    modal.get_by_label(items[1]).check()
    modal.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("建设工程进场登记表")

    # 分管领导 signs off (审核制度 (七): 资料下载 is a department column).
    login(page, live_server, leader)
    assert ArticlePage.objects.get(pk=article.pk).current_workflow_task.name == "分管领导审核签发"
    workflow_action(page, live_server, article.pk, "审核通过")
    expect(page.locator(".messages")).to_contain_text("建设工程进场登记表")

    page.goto(live_server.url + target.url)
    expect(page.get_by_text("建设工程进场登记表（2026版）")).to_have_count(0)  # not yet public

    # 信息发布员 publishes: the last step's button says so (签发发布), the chain completes.
    login(page, live_server, publisher)
    workflow_action(page, live_server, article.pk, "签发发布")
    expect(page.locator(".messages")).to_contain_text("建设工程进场登记表")
    assert ArticlePage.objects.get(pk=article.pk).live

    page.goto(live_server.url + target.url)
    page.get_by_role("link", name="建设工程进场登记表（2026版）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("建设工程进场登记表（2026版）")
    expect(page.get_by_text("Form 2026 replaces the 2025 edition.")).to_be_visible()


def test_head_cannot_approve_own_draft_and_nobody_can_publish_directly(center, live_server, page):
    head = make_user(R.DEPARTMENT_HEAD, R.DRAFTER, department="jianshe")
    target = column("zlxz/bgxz")
    login(page, live_server, head)
    article = draft_and_submit(page, live_server, target, "科长自己起草的信息", "Body text")

    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    open_actions(page)
    expect(page.get_by_role("button", name="科室审核通过")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^发布"))).to_have_count(0)
    assert not ArticlePage.objects.get(pk=article.pk).live
