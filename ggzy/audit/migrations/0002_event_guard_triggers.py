"""DB-level append-only guard on audit events (PostgreSQL and SQLite); see ggzy.audit.guard."""

from django.db import migrations

from ggzy.audit.guard import install_triggers, remove_triggers


def forwards(apps, schema_editor):
    install_triggers(schema_editor)
    apps.get_model("audit", "AuditChainHead").objects.get_or_create(pk=1)


def backwards(apps, schema_editor):
    remove_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
