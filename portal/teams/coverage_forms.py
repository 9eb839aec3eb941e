"""Forms of the coverage grid, the calendar address and the Discord webhook."""

from __future__ import annotations

from django import forms

from portal.core.forms import Form
from portal.core.schedule import parse_windows
from portal.teams.discord import webhook_url_check
from portal.teams.models.coverage import MAX_NEEDED


class ScheduleForm(Form):
    schedule = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "Fri 20:00-23:00\nSat 14:00-18:00"}),
        required=False,
        label="When the channel streams",
        help_text="One stream per line, in the channel's timezone: “Fri 20:00-23:00”, "
        "“Weekdays 19:00-22:00”. Each member sees it in their own timezone.",
    )
    needed = forms.IntegerField(
        min_value=1, max_value=MAX_NEEDED, initial=1, label="Moderators needed on each stream"
    )

    def clean_schedule(self):
        return parse_windows(self.cleaned_data["schedule"])


class StreamForm(Form):
    """Which dated stream a button is for (hidden fields)."""

    slot = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    on = forms.DateField(widget=forms.HiddenInput)


class SignupForm(Form):
    signup = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class SwapForm(Form):
    swap = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class CalendarForm(Form):
    with_schedule = forms.BooleanField(
        required=False,
        label="Also show the team's whole schedule",
        help_text="Every stream of the channel, covered or not, besides the ones you cover.",
    )


class DiscordWebhookForm(Form):
    url = forms.CharField(
        max_length=300,
        label="Webhook address",
        help_text="In Discord: the mod channel's settings, Integrations, Webhooks, New "
        "Webhook, Copy Webhook URL. It is kept secret: this page shows only its last "
        "characters.",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    def clean_url(self):
        return webhook_url_check(self.cleaned_data["url"])
