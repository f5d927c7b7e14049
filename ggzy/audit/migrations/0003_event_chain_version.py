"""A versioned chain (issue 14 item 9): events already there keep version 1 (plain
digest, verified as before); new events are keyed (version 2). On SQLite adding a
column rebuilds the table, which drops its triggers: they are installed again."""

from django.db import migrations, models

from ggzy.audit.guard import install_triggers, remove_triggers


def reinstall_guard(apps, schema_editor):
    remove_triggers(schema_editor)
    install_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_event_guard_triggers")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain_version",
            field=models.PositiveSmallIntegerField(db_default=1, verbose_name="链版本"),
        ),
        migrations.RunPython(reinstall_guard, migrations.RunPython.noop),
    ]
