"""Rows made on the way (a first notification, an invitation) were left weekly with no
next-send time, so their people never got a digest: schedule each of them now."""

from django.db import migrations
from django.utils import timezone


def schedule_missing(apps, schema_editor):
    from portal.digests.schedule import next_due

    EmailPreferences = apps.get_model("digests", "EmailPreferences")
    Profile = apps.get_model("accounts", "Profile")
    now = timezone.now()
    rows = EmailPreferences.objects.filter(next_digest_at__isnull=True).exclude(
        digest_frequency="off"
    )
    zones = dict(Profile.objects.filter(user__in=rows.values("user")).values_list("user", "timezone"))
    for row in rows.iterator():
        row.next_digest_at = next_due(
            frequency=row.digest_frequency,
            weekday=row.digest_weekday,
            hour=row.digest_hour,
            tz_name=zones.get(row.user_id) or "UTC",
            after=now,
        )
        row.save(update_fields=["next_digest_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0002_emailpreferences_digest_applications_and_more"),
        ("accounts", "0003_clean_control_characters"),
    ]

    operations = [migrations.RunPython(schedule_missing, migrations.RunPython.noop)]
