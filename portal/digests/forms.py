from portal.core.forms import ModelForm
from portal.digests.models import EmailPreferences


class EmailPreferencesForm(ModelForm):
    class Meta:
        model = EmailPreferences
        fields = [
            "digest_frequency",
            "digest_weekday",
            "digest_hour",
            "email_forum_replies",
            "email_forum_mentions",
            "email_application_updates",
            "email_new_applications",
            "email_opening_reminders",
            "email_invitations",
            "email_moderation",
            "email_team",
            "email_mentoring",
            "email_messages",
            "digest_forums",
            "digest_openings",
            "digest_guides",
            "digest_applications",
            "digest_team",
            "digest_mentoring",
            "digest_messages",
        ]
        labels = {
            "digest_frequency": "Send me a digest",
            "digest_weekday": "On (weekly digests)",
            "digest_hour": "At about",
        }
