"""The onboarding forms: a lead's choice of guide tracks for a member, a step added to the
channel's checklist, and a member's tick on a step."""

from __future__ import annotations

from django import forms

from portal.core.forms import Form
from portal.guides.models import Track


class AssignForm(Form):
    tracks = forms.ModelMultipleChoiceField(
        queryset=Track.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Guide tracks to work through",
        help_text="You will see their progress on these tracks only.",
    )


class ChecklistItemForm(Form):
    text = forms.CharField(
        max_length=200,
        label="A step of your channel's checklist",
        help_text="Like “Read our rulebook” or “Join the mod channel on Discord”.",
    )


class TickForm(Form):
    """A tick on one step: a button with the step's id and whether it is done."""

    item = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    done = forms.BooleanField(required=False)
