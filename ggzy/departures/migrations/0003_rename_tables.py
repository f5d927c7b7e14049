"""The tables take the app's name (accounts_departure → departures_departure,
accounts_departureitem → departures_departureitem) and so does the constraint
(one open departure per person). A rename: rows and ids stay as they are."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("departures", "0002_content_types"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="departure", name="accounts_one_open_departure"),
        migrations.AlterModelTable(name="departure", table=None),
        migrations.AlterModelTable(name="departureitem", table=None),
        migrations.AddConstraint(
            model_name="departure",
            constraint=models.UniqueConstraint(
                condition=models.Q(("closed_at__isnull", True)),
                fields=("user",),
                name="departures_one_open_departure",
            ),
        ),
    ]
