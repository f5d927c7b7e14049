"""An index of wagtailcore_page for the public listings (issue 8).

Every count a publish reads (a column's items, an item's place in them, the
sitemap's size) is a range of paths filtered by live and content type; with
(path, live, content_type_id, first_published_at) it is read from the index
alone, never from the page rows. Page is Wagtail's model, so the index is plain
SQL (the same statement on SQLite and PostgreSQL)."""

from django.db import migrations

INDEX = "portal_page_listing_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page "
            "(path, live, content_type_id, first_published_at)",
            reverse_sql=f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
