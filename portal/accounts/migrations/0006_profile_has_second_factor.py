"""Profile.has_second_factor, filled in for people who already have an authenticator."""

from django.db import migrations, models


def fill(apps, schema_editor):
    Profile = apps.get_model("accounts", "Profile")
    Authenticator = apps.get_model("mfa", "Authenticator")
    Profile.objects.filter(user_id__in=Authenticator.objects.values("user_id")).update(
        has_second_factor=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_availability_as_written"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="has_second_factor",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
