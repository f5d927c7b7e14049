"""Wagtail's migrations name its root page and root collection "Root"; the admin
shows both (the page explorer's top level, the collection list and the collection
field of every image and document form). They are named in Chinese, as
``ggzy.portal.services.wagtail_roots_ensure`` names them when it makes them (issue
20). The root page is not public: it has no URL, the breadcrumbs and the sitemap
start at the home page."""

from django.db import migrations

ROOT_PAGE_TITLE = "根页面"
ROOT_COLLECTION_NAME = "根目录"


def name_in_chinese(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page.objects.filter(depth=1, title="Root").update(title=ROOT_PAGE_TITLE, draft_title=ROOT_PAGE_TITLE)
    Collection.objects.filter(depth=1, name="Root").update(name=ROOT_COLLECTION_NAME)


def name_as_wagtail(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page.objects.filter(depth=1, title=ROOT_PAGE_TITLE).update(title="Root", draft_title="Root")
    Collection.objects.filter(depth=1, name=ROOT_COLLECTION_NAME).update(name="Root")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_site_identity"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(name_in_chinese, name_as_wagtail)]
