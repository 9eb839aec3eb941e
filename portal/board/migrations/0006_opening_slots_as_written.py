"""Opening slots are kept as written (weekday, local start and end, the opening's timezone)
instead of as UTC minutes fixed when saved, which drifted by an hour after every clock
change (portal/core/weeks.py works them out for the week being looked at)."""

from functools import partial

from django.db import migrations, models

from portal.core.slot_migration import slots_as_utc, slots_as_written

SLOTS = {"app": "board", "slot": "OpeningSlot", "owner": "Opening", "written": "schedule"}


class Migration(migrations.Migration):
    dependencies = [("board", "0005_staff_reads")]

    operations = [
        migrations.RemoveConstraint(
            model_name="openingslot", name="opening_slot_starts_before_end"
        ),
        migrations.RemoveIndex(model_name="openingslot", name="board_openi_opening_442ef3_idx"),
        migrations.RenameField(model_name="openingslot", old_name="start", new_name="utc_start"),
        migrations.RenameField(model_name="openingslot", old_name="end", new_name="utc_end"),
        migrations.AlterField(
            model_name="openingslot", name="utc_start", field=models.PositiveIntegerField(null=True)
        ),
        migrations.AlterField(
            model_name="openingslot", name="utc_end", field=models.PositiveIntegerField(null=True)
        ),
        migrations.AddField(
            model_name="openingslot",
            name="weekday",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="openingslot", name="start", field=models.TimeField(null=True)
        ),
        migrations.AddField(
            model_name="openingslot", name="end", field=models.TimeField(null=True)
        ),
        migrations.AddField(
            model_name="openingslot",
            name="timezone",
            field=models.CharField(default="UTC", max_length=64),
        ),
        migrations.AddField(
            model_name="openingslot",
            name="local_start",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="openingslot",
            name="local_end",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(partial(slots_as_written, **SLOTS), partial(slots_as_utc, **SLOTS)),
        migrations.RemoveField(model_name="openingslot", name="utc_start"),
        migrations.RemoveField(model_name="openingslot", name="utc_end"),
        migrations.AlterField(
            model_name="openingslot", name="weekday", field=models.PositiveSmallIntegerField()
        ),
        migrations.AlterField(model_name="openingslot", name="start", field=models.TimeField()),
        migrations.AlterField(model_name="openingslot", name="end", field=models.TimeField()),
        migrations.AlterField(
            model_name="openingslot", name="timezone", field=models.CharField(max_length=64)
        ),
        migrations.AlterField(
            model_name="openingslot",
            name="local_start",
            field=models.PositiveIntegerField(editable=False),
        ),
        migrations.AlterField(
            model_name="openingslot",
            name="local_end",
            field=models.PositiveIntegerField(editable=False),
        ),
        migrations.AddConstraint(
            model_name="openingslot",
            constraint=models.CheckConstraint(
                condition=models.Q(("local_start__lt", models.F("local_end")), ("weekday__lte", 6)),
                name="opening_slot_starts_before_end",
            ),
        ),
    ]
