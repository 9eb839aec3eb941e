"""Fill the kept count of unread notifications (User.unread_notifications) for everyone who
has any, as portal/forums/services/unread.py counts them."""

from django.db import migrations
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


def count_unread(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Notification = apps.get_model("forums", "Notification")
    # Notification.objects.for_reader(...).unread(), spelled out: historical models have no
    # custom querysets.
    visible = Q(post__isnull=True) | Q(kind="moderation") | Q(
        post__status="published", post__topic__status="published"
    )
    unread = (
        Notification.objects.filter(visible, recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(number=Count("pk"))
        .values("number")
    )
    recipients = Notification.objects.filter(read_at__isnull=True).values("recipient")
    User.objects.filter(pk__in=recipients).update(
        unread_notifications=Coalesce(Subquery(unread), 0)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_unread_notifications"),
        ("forums", "0008_clean_control_characters"),
    ]

    operations = [migrations.RunPython(count_unread, migrations.RunPython.noop)]
