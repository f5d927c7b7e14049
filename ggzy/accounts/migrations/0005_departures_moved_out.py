"""Staff departure moved to its own app, ``departures``, which takes over the
two tables as they are (departures 0001-0003): here they only leave accounts'
model state; no table is touched, no row is copied."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_username_ci_message"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DepartureItem"),
                migrations.DeleteModel(name="Departure"),
            ],
            database_operations=[],
        ),
    ]
