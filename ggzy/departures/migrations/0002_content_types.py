"""The departure models' content types move from accounts to departures.

Renaming the rows in place keeps their ids, so every permission (and every
group holding one, by codename) keeps working. On a fresh database there are
no rows yet (post_migrate creates them at the end) and this does nothing.
"""

from django.db import migrations

MODELS = ("departure", "departureitem")


def _move(apps, schema_editor, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for model in MODELS:
        old = ContentType.objects.using(db).filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.using(db).filter(app_label=target, model=model).first()
        if new is not None:
            # Both exist (a partial migrate ran post_migrate in between): keep the
            # target row, and carry the holders of the old permissions over to it.
            for perm in Permission.objects.using(db).filter(content_type=old):
                twin = Permission.objects.using(db).filter(content_type=new, codename=perm.codename).first()
                if twin is None:
                    perm.content_type = new
                    perm.save(update_fields=["content_type"])
                    continue
                twin.group_set.add(*perm.group_set.all())
                twin.user_set.add(*perm.user_set.all())
                perm.delete()
            old.delete()
        else:
            old.app_label = target
            old.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _move(apps, schema_editor, "accounts", "departures")


def backwards(apps, schema_editor):
    _move(apps, schema_editor, "departures", "accounts")


class Migration(migrations.Migration):
    dependencies = [
        ("departures", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
