"""Ship the starter lexicon (idempotent: get_or_create, nothing overwritten)."""

from pathlib import Path

from django.db import migrations

STARTER = Path(__file__).resolve().parent.parent / "data" / "starter_lexicon.tsv"


def load_starter(apps, schema_editor):
    LexiconEntry = apps.get_model("screening", "LexiconEntry")
    for line in STARTER.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        severity = columns[2] if len(columns) > 2 else "block"
        LexiconEntry.objects.get_or_create(
            category=columns[0], term=columns[1], defaults={"severity": severity, "note": "初始词库"}
        )


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(load_starter, migrations.RunPython.noop)]
