"""The forms of joining and shaping a team: a lead's direct offer of a place, a member's
level and roles, a trial's outcome, and the answer to an offer. (One module per part of the
team space, so each part's forms stay beside its views.)"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from portal.accounts.models import Role, User
from portal.core.forms import Form
from portal.teams.models import Level

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
# What a lead may offer or set: every place but the owner's, which is the channel's.
PLACES = [(level.value, level.label) for level in Level if level != Level.OWNER]


class PlaceFields(Form):
    """A place on the team: its level, the roles played and, for a trial, its end date."""

    conditionally_required = frozenset({"trial_ends_on"})

    level = forms.ChoiceField(choices=PLACES, initial=Level.MODERATOR, label="Place on the team")
    roles = forms.ModelMultipleChoiceField(
        queryset=Role.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Roles they play",
    )
    trial_ends_on = forms.DateField(
        widget=DATE_INPUT,
        required=False,
        label="Trial ends on",
        help_text="For a trial moderator only: the day you record how the trial went.",
    )

    def clean(self) -> dict:
        data = super().clean()
        level = data.get("level")
        ends = data.get("trial_ends_on")
        if level == Level.TRIAL:
            if ends is None and "trial_ends_on" not in self.errors:
                self.add_error("trial_ends_on", "A trial needs the day it ends.")
            elif ends is not None and ends < timezone.localdate():
                self.add_error("trial_ends_on", "Choose a day from today on.")
        return data


class OfferForm(PlaceFields):
    """A lead offers a person from the directory a place on the team."""

    username = forms.CharField(
        max_length=150, label="Their username", help_text="As on their profile, without the @."
    )
    field_order = ["username", "level", "roles", "trial_ends_on"]

    def clean_username(self) -> User:
        name = self.cleaned_data["username"].strip().lstrip("@")
        user = User.objects.filter(username__iexact=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError("Nobody on Modhall has that username.")
        return user


class MemberForm(PlaceFields):
    """A lead changes a member's level, roles and trial end date."""


class TrialOutcomeForm(Form):
    outcome = forms.ChoiceField(
        choices=[
            ("keep", "Keep them: they become a Moderator"),
            ("end", "End it: they leave the team now"),
        ],
        widget=forms.RadioSelect,
        label="How did the trial go?",
    )


class OfferAnswerForm(Form):
    """The offered person's answer: one of two buttons."""

    answer = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])
