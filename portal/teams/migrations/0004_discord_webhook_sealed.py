# The Discord webhook address is kept encrypted: existing addresses are sealed in place.

import base64
import hashlib

from django.conf import settings
from django.db import migrations, models


def seal_addresses(apps, schema_editor):
    from cryptography.fernet import Fernet

    # The same key as portal/teams/discord.py derives (written out: migrations stay as they
    # were when the code moves on).
    digest = hashlib.sha256(f"modhall.teams.discord:{settings.SECRET_KEY}".encode()).digest()
    fernet = Fernet(base64.urlsafe_b64encode(digest))
    DiscordWebhook = apps.get_model("teams", "DiscordWebhook")
    for webhook in DiscordWebhook.objects.all():
        webhook.url_sealed = fernet.encrypt(webhook.url.encode()).decode()
        webhook.save(update_fields=["url_sealed"])


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0003_offers_and_trial_reminders"),
    ]

    operations = [
        migrations.AddField(
            model_name="discordwebhook",
            name="url_sealed",
            field=models.TextField(default=""),
            preserve_default=False,
        ),
        migrations.RunPython(seal_addresses, migrations.RunPython.noop),
        migrations.RemoveField(model_name="discordwebhook", name="url"),
    ]
