"""Offers keep the length of the trial they offer (``trial_days``), so a trial accepted late
keeps it, counted from the acceptance (``Offer.trial_end_if_accepted``).

The open trial offers get the length they had when they were made or last changed: from that
day (their expiry less the 14 days an offer waited then) to their end day. The others keep
none: they were answered, and an offer without one ends on its own day."""

from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone

# OFFER_DAYS as it was when this migration was written (a migration keeps its own numbers).
DAYS = 14


def lengths_of_open_trial_offers(apps, schema_editor):
    Offer = apps.get_model("teams", "Offer")
    # The open offers only: a handful, each waiting two weeks at most.
    for offer in Offer.objects.filter(status="open", trial_ends_on__isnull=False):
        made_on = timezone.localdate(offer.expires_at - timedelta(days=DAYS))
        offer.trial_days = max(0, (offer.trial_ends_on - made_on).days)
        offer.save(update_fields=["trial_days"])


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0009_offer_expiry"),
    ]

    operations = [
        migrations.AddField(
            model_name="offer",
            name="trial_days",
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(lengths_of_open_trial_offers, migrations.RunPython.noop),
    ]
