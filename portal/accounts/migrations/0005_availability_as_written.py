"""Availability slots are kept as written (weekday, local start and end, timezone) instead
of as UTC minutes fixed when saved, which drifted by an hour after every clock change
(portal/core/weeks.py works them out for the week being looked at)."""

from functools import partial

from django.db import migrations, models

from portal.core.slot_migration import slots_as_utc, slots_as_written

SLOTS = {
    "app": "accounts",
    "slot": "AvailabilitySlot",
    "owner": "Profile",
    "written": "availability",
}


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_user_unread_notifications")]

    operations = [
        migrations.RemoveConstraint(model_name="availabilityslot", name="slot_starts_before_end"),
        migrations.RemoveIndex(model_name="availabilityslot", name="accounts_av_start_60268f_idx"),
        migrations.RenameField(
            model_name="availabilityslot", old_name="start", new_name="utc_start"
        ),
        migrations.RenameField(model_name="availabilityslot", old_name="end", new_name="utc_end"),
        migrations.AlterField(
            model_name="availabilityslot",
            name="utc_start",
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.AlterField(
            model_name="availabilityslot",
            name="utc_end",
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="availabilityslot",
            name="weekday",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="availabilityslot", name="start", field=models.TimeField(null=True)
        ),
        migrations.AddField(
            model_name="availabilityslot", name="end", field=models.TimeField(null=True)
        ),
        migrations.AddField(
            model_name="availabilityslot",
            name="timezone",
            field=models.CharField(default="UTC", max_length=64),
        ),
        migrations.AddField(
            model_name="availabilityslot",
            name="local_start",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="availabilityslot",
            name="local_end",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(partial(slots_as_written, **SLOTS), partial(slots_as_utc, **SLOTS)),
        migrations.RemoveField(model_name="availabilityslot", name="utc_start"),
        migrations.RemoveField(model_name="availabilityslot", name="utc_end"),
        migrations.AlterField(
            model_name="availabilityslot", name="weekday", field=models.PositiveSmallIntegerField()
        ),
        migrations.AlterField(
            model_name="availabilityslot", name="start", field=models.TimeField()
        ),
        migrations.AlterField(model_name="availabilityslot", name="end", field=models.TimeField()),
        migrations.AlterField(
            model_name="availabilityslot", name="timezone", field=models.CharField(max_length=64)
        ),
        migrations.AlterField(
            model_name="availabilityslot",
            name="local_start",
            field=models.PositiveIntegerField(editable=False),
        ),
        migrations.AlterField(
            model_name="availabilityslot",
            name="local_end",
            field=models.PositiveIntegerField(editable=False),
        ),
        migrations.AddConstraint(
            model_name="availabilityslot",
            constraint=models.CheckConstraint(
                condition=models.Q(("local_start__lt", models.F("local_end")), ("weekday__lte", 6)),
                name="availability_slot_starts_before_end",
            ),
        ),
    ]
