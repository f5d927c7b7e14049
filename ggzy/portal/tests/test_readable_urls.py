"""Readable public URLs (issue 20): a column item whose slug would come from its Chinese
title gets ``YYYYMMDD-n``; ASCII titles, typed slugs and existing pages keep theirs; the
URL does not change with the title."""

import datetime as dt
from urllib.parse import unquote

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import Department
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.portal.models import ArticlePage
from ggzy.portal.tests.factories import column, publish_article

pytestmark = pytest.mark.django_db

DAY = dt.datetime(2026, 12, 4, 10, 0, tzinfo=timezone.get_fixed_timezone(8 * 60))


@time_machine.travel(DAY, tick=False)
def test_chinese_titles_give_the_date_and_a_number(center):
    zbgg = column("jyxx/jsgc/zbgg")
    first = publish_article(zbgg, "关于2026年第一批道路改造工程的招标公告")
    second = publish_article(zbgg, "关于2026年第一批道路改造工程的招标公告")
    other_column = publish_article(column("zwgk"), "中心简介")
    assert (first.slug, second.slug, other_column.slug) == ("20261204-1", "20261204-2", "20261204-1")
    assert first.url == f"{zbgg.url}20261204-1/" and first.url.isascii()
    assert unquote(first.url) == first.url  # nothing percent-encoded


def test_ascii_titles_typed_slugs_and_intake_ids_are_kept(center):
    assert publish_article(column("zwgk"), "Annual report 2026").slug == "annual-report-2026"
    assert publish_article(column("zwgk"), "中心简介", slug="intro").slug == "intro"
    typed = publish_article(column("zwgk"), "道路改造工程招标公告", slug="道路改造工程")
    assert typed.slug == "道路改造工程"  # chosen on purpose, not the title: kept


def test_the_url_does_not_change_with_the_title(center):
    with time_machine.travel(DAY, tick=False):
        page = publish_article(column("zwgk"), "原来的标题")
    url = page.url
    # Published: Wagtail's editor leaves the slug alone; a republish keeps it.
    page.title = "修改后的标题"
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.url == url
    # Taken offline and edited: the editor fills the slug from the title again (not live) …
    page.unpublish()
    page = ArticlePage.objects.get(pk=page.pk)
    page.title = "再次修改的标题"
    page.slug = slugify(page.title, allow_unicode=True)
    with time_machine.travel(DAY + dt.timedelta(days=3), tick=False):
        page.save_revision().publish()
    page.refresh_from_db()
    assert page.slug == "20261204-1" and page.url == url  # … and the stored slug stays


def test_an_existing_chinese_slug_keeps_working(center, client):
    page = publish_article(column("zwgk"), "旧的信息", slug="旧的信息-1")
    ArticlePage.objects.filter(pk=page.pk).update(slug="旧的信息")  # as created before this change
    page = ArticlePage.objects.get(pk=page.pk)
    page.save_revision().publish()  # edited and republished: not renamed
    page.refresh_from_db()
    assert page.slug == "旧的信息"
    assert client.get(page.url).status_code == 200


@time_machine.travel(DAY, tick=False)
def test_a_page_created_in_the_editor_gets_the_readable_slug(center, client):
    login_as(client, make_user(RoleKey.PUBLISHER))
    parent = column("zxdt/ztxx")
    title = "中心召开2026年度工作会议"
    data = nested_form_data(
        {
            "title": title,
            "slug": slugify(title, allow_unicode=True),  # what the editor's script fills in
            "body": rich_text("<p>中心召开会议。</p>"),
            "source_name": "",
            "keywords": "",
            "comments": inline_formset([]),
            "source_department": str(Department.objects.get(code="xinxi").pk),
        }
    )
    response = client.post(reverse("wagtailadmin_pages:add", args=("portal", "articlepage", parent.pk)), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    page = ArticlePage.objects.get(title=title)
    assert page.slug == "20261204-1"
    # Saving the draft again from the editor (the script fills the title's slug again).
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    data["slug"] = slugify(title, allow_unicode=True)
    response = client.post(edit, data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.slug == "20261204-1" and page.get_latest_revision_as_object().slug == "20261204-1"
