"""Forms for the board."""

from __future__ import annotations

from django import forms
from django.db.models.functions import Lower

from portal.accounts.forms import clean_twitch_login
from portal.accounts.models import Language
from portal.board.models import Channel
from portal.core.schedule import timezone_choices
from portal.markup import validate_markdown


class ChannelForm(forms.Form):
    name = forms.CharField(max_length=80)
    twitch_login = forms.CharField(
        label="Twitch login",
        max_length=26,
        help_text="The channel's Twitch username. It shows as verified once you log in with "
        "that Twitch account.",
    )
    category = forms.CharField(max_length=80, required=False)
    languages = forms.ModelMultipleChoiceField(
        queryset=Language.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    typical_viewers = forms.IntegerField(min_value=0, max_value=10_000_000, initial=0)
    timezone = forms.ChoiceField(choices=timezone_choices, initial="UTC")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        validators=[validate_markdown],
        help_text="Markdown. What the channel is like and what its community values.",
    )

    def __init__(self, *args, channel: Channel | None = None, **kwargs) -> None:
        self.channel = channel
        super().__init__(*args, **kwargs)

    def clean_twitch_login(self) -> str:
        login = clean_twitch_login(self.cleaned_data["twitch_login"])
        if not login:
            raise forms.ValidationError("Which Twitch channel is it?")
        taken = Channel.objects.annotate(login=Lower("twitch_login")).filter(login=login)
        if self.channel is not None:
            taken = taken.exclude(pk=self.channel.pk)
        if taken.exists():
            raise forms.ValidationError("That Twitch channel is already registered here.")
        return login
