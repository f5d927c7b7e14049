# The moved models' content types change app, not id: the permissions granted
# on them (ingest.add_spreadsheettable, jiaozuo.toml), Wagtail's reference
# index rows (page → table) and anything else keyed by content type id keep
# pointing at the same rows.

from django.db import migrations

MODELS = ('spreadsheetupload', 'spreadsheettable')


def _move(apps, old, new):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in MODELS:
        moving = ContentType.objects.filter(app_label=old, model=model).first()
        if moving is None:  # a fresh database: post_migrate creates the new ones
            continue
        # A row already made for the new label (a post_migrate run in between)
        # holds nothing the old one does not: the old row, with its id, wins.
        ContentType.objects.filter(app_label=new, model=model).delete()
        moving.app_label = new
        moving.save(update_fields=['app_label'])
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _move(apps, 'screening', 'ingest')


def backwards(apps, schema_editor):
    _move(apps, 'ingest', 'screening')


class Migration(migrations.Migration):

    dependencies = [
        ('ingest', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
