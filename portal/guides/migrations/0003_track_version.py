from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("guides", "0002_lesson_reflection"),
    ]

    operations = [
        migrations.AddField(
            model_name="track",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
    ]
