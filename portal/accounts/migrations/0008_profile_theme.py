from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_data_exports_and_deletions"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="theme",
            field=models.CharField(
                choices=[("system", "Same as my device"), ("light", "Light"), ("dark", "Dark")],
                default="system",
                max_length=6,
            ),
        ),
    ]
