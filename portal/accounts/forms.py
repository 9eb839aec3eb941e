"""Forms for profiles. Each turns what a person typed into clean values or an error beside the
field; services do the saving."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone

from portal.accounts.models import AgeGroup, Language, Role, Theme
from portal.core.forms import Form
from portal.core.schedule import format_windows, parse_windows, timezone_choices
from portal.markup import validate_markdown

TWITCH_LOGIN = re.compile(r"^[a-z0-9_]{3,25}$")


def clean_twitch_login(value: str) -> str:
    value = value.strip().lower().removeprefix("@")
    if value and not TWITCH_LOGIN.match(value):
        raise forms.ValidationError(
            "A Twitch login is 3–25 letters, digits or underscores, like “cozy_mod_42”."
        )
    return value


class ProfileForm(Form):
    display_name = forms.CharField(max_length=60, required=False)
    bio = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        validators=[validate_markdown],
        help_text="Markdown. How you moderate, what channels you help, what you care about.",
    )
    twitch_login = forms.CharField(
        label="Twitch login",
        max_length=26,
        required=False,
        help_text="Shown on your profile. It is marked verified once you log in with Twitch.",
    )
    roles = forms.ModelMultipleChoiceField(
        queryset=Role.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Roles you play",
    )
    languages = forms.ModelMultipleChoiceField(
        queryset=Language.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (or ⌘) to choose more than one.",
    )
    timezone = forms.ChoiceField(choices=timezone_choices, initial="UTC")
    hours_per_week = forms.IntegerField(
        min_value=0, max_value=168, required=False, label="Hours a week you can moderate"
    )
    availability = forms.CharField(
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "Mon 18:00-22:00\nSat-Sun 12:00-16:00"}
        ),
        required=False,
        label="When you are usually around",
        help_text="One window per line, in your timezone: “Mon 18:00-22:00”, "
        "“Weekdays 19:00-23:00”, “Sat-Sun 12:00-16:00”.",
    )
    channels_moderated = forms.IntegerField(
        min_value=0, max_value=999, initial=0, label="Channels you have moderated"
    )
    moderating_since = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Moderating since",
    )
    open_to_moderating = forms.BooleanField(
        required=False, label="I am open to moderating new channels"
    )
    is_public = forms.BooleanField(
        required=False,
        label="Public profile",
        help_text="When off, only you can see your profile page.",
    )
    age_group = forms.ChoiceField(
        choices=AgeGroup.choices,
        required=False,
        widget=forms.RadioSelect,
        label="Your age",
        help_text="Under 18, your profile stays private: only you see it, and streamers do not "
        "find you in the list of moderators. Mentoring and private messages with adults need "
        "you to say you are 18 or older; not saying counts as under 18 there. See the privacy "
        "page.",
    )

    def clean_twitch_login(self) -> str:
        return clean_twitch_login(self.cleaned_data["twitch_login"])

    def clean_availability(self):
        return parse_windows(self.cleaned_data["availability"])

    def clean(self):
        data = super().clean()
        if data.get("age_group") == AgeGroup.UNDER_18 and data.get("is_public"):
            self.add_error("is_public", "Profiles of members under 18 stay private.")
        return data

    def clean_moderating_since(self):
        value = self.cleaned_data["moderating_since"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("That date is in the future.")
        return value

    @classmethod
    def initial_for(cls, profile) -> dict:
        return {
            "display_name": profile.display_name,
            "bio": profile.bio,
            "twitch_login": profile.twitch_login,
            "roles": list(profile.roles.all()),
            "languages": list(profile.languages.all()),
            "timezone": profile.timezone,
            "hours_per_week": profile.hours_per_week,
            "availability": format_windows(profile.windows),
            "channels_moderated": profile.channels_moderated,
            "moderating_since": profile.moderating_since,
            "open_to_moderating": profile.open_to_moderating,
            "is_public": profile.is_public,
            "age_group": profile.age_group,
        }


class AccountDeletionForm(Form):
    """What a person decides when deleting their account (re-authenticated already)."""

    remove_posts = forms.BooleanField(
        label="Also remove my forum posts",
        required=False,
        help_text="Otherwise they stay readable under “a former member”, so the discussions "
        "others took part in still make sense. Removed posts read “removed by its author”.",
    )
    confirm = forms.BooleanField(
        label="I understand that after 7 days my account and data are deleted for good",
        error_messages={"required": "Tick this to confirm you want your account deleted."},
    )


class ThemeForm(Form):
    theme = forms.ChoiceField(
        label="Theme",
        choices=Theme.choices,
        widget=forms.RadioSelect,
        help_text="“Same as my device” follows your system's light or dark setting.",
    )


class AvatarForm(Form):
    """A new picture for the person's avatar: checked, squared and stripped of its metadata
    here (portal/accounts/avatars.py), so the view only keeps what comes out."""

    picture = forms.FileField(
        label="Picture",
        help_text="A JPEG, PNG, WebP or GIF picture of 2 MB or less. It is cropped to a square "
        "and resized, and anything the file says besides its pixels (such as where a photo "
        "was taken) is removed.",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
        error_messages={"required": "Choose a picture to upload."},
    )

    def clean_picture(self) -> bytes:
        from portal.accounts.avatars import avatar_clean

        return avatar_clean(self.cleaned_data["picture"])
