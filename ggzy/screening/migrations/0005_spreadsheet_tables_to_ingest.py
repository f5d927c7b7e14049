# The .xlsx table models moved to the ingest app (issue 13 §4): they leave
# screening's state only; their tables and rows stay where they are and
# ingest.0001 takes them over under the same table names.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('screening', '0004_spreadsheet_tables'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='SpreadsheetTable'),
                migrations.DeleteModel(name='SpreadsheetUpload'),
            ],
            database_operations=[],
        ),
    ]
