"""Offers expire: each gets ``expires_at`` (OFFER_DAYS after it is made) and a status of
"expired" that the hourly job gives the open ones past it.

Offers made before had no expiry and their people were told of none, so every existing row
gets 14 days from the migration, as an offer made that day would: nobody's open offer ends
sooner than they could have known. The field is added empty, filled, then made required."""

from datetime import timedelta

import django.utils.timezone
from django.db import migrations, models

import portal.teams.models.hiring

# OFFER_DAYS as it was when this migration was written (a migration keeps its own numbers).
DAYS = 14


def fourteen_days_from_now(apps, schema_editor):
    Offer = apps.get_model("teams", "Offer")
    Offer.objects.filter(expires_at__isnull=True).update(
        expires_at=django.utils.timezone.now() + timedelta(days=DAYS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0008_team_discussion"),
    ]

    operations = [
        migrations.AddField(
            model_name="offer",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(fourteen_days_from_now, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="offer",
            name="expires_at",
            field=models.DateTimeField(default=portal.teams.models.hiring.offer_expiry),
        ),
        migrations.AlterField(
            model_name="offer",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "Waiting for an answer"),
                    ("accepted", "Accepted"),
                    ("declined", "Declined"),
                    ("withdrawn", "Withdrawn"),
                    ("expired", "Expired unanswered"),
                ],
                default="open",
                max_length=10,
            ),
        ),
    ]
