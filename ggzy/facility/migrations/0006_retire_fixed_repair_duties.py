"""四 大修和中修 are now per machine room, dated from its commissioning date
(services.room_repair_duties_ensure): the fixed yearly obligations of the first
release stop generating occurrences (their history stays), and each dated machine
room gets its own."""

from django.db import migrations


def retire(apps, schema_editor):
    Obligation = apps.get_model("compliance", "Obligation")
    Obligation.objects.filter(key__in=["jf-mid-repair", "jf-overhaul"]).update(active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("facility", "0005_major_tasks"),
        ("compliance", "0004_followup"),
    ]

    operations = [migrations.RunPython(retire, migrations.RunPython.noop)]
