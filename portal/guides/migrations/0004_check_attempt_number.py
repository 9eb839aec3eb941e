"""Attempts get a number per person and check (papers.py), and the keys of the questions asked.

Existing attempts are numbered in the order they were made, so the next attempt's number
follows on. Their question keys stay empty: they answered the questions before choices were
shuffled, and their results are no longer shown (the questions' hash has changed as well).
"""

from django.db import migrations, models

BATCH = 1000


def number_existing_attempts(apps, schema_editor):
    CheckAttempt = apps.get_model("guides", "CheckAttempt")
    rows = CheckAttempt.objects.order_by("user_id", "track_id", "lesson_id", "created_at", "pk")
    last_check, number, batch = None, 0, []
    for attempt in rows.only("pk", "user_id", "track_id", "lesson_id").iterator(BATCH):
        check = (attempt.user_id, attempt.track_id, attempt.lesson_id)
        number = number + 1 if check == last_check else 1
        last_check = check
        attempt.number = number
        batch.append(attempt)
        if len(batch) == BATCH:
            CheckAttempt.objects.bulk_update(batch, ["number"])
            batch = []
    CheckAttempt.objects.bulk_update(batch, ["number"])


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0003_track_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkattempt",
            name="number",
            field=models.PositiveIntegerField(default=1),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="checkattempt",
            name="question_keys",
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(number_existing_attempts, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="checkattempt", name="attempt_latest"),
        migrations.AddConstraint(
            model_name="checkattempt",
            constraint=models.UniqueConstraint(
                condition=models.Q(lesson__isnull=True),
                fields=("user", "track", "number"),
                name="track_attempt_number_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="checkattempt",
            constraint=models.UniqueConstraint(
                condition=models.Q(lesson__isnull=False),
                fields=("user", "lesson", "number"),
                name="lesson_attempt_number_once",
            ),
        ),
    ]
