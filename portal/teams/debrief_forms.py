"""The debriefs' forms: writing one in the blameless format, and adding a note. The rule on
quoting chat is the model's own validator (models/debrief.py); its guidance is shown beside
each text, so a writer knows it before being refused."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.core.forms import ModelForm
from portal.teams.models import Debrief, DebriefNote
from portal.teams.models.debrief import QUOTE_LIMIT

MAX_FOLLOW_UPS = 10
QUOTE_HELP = f" Summarise abuse; quote at most {QUOTE_LIMIT} characters of chat."


class DebriefForm(ModelForm):
    follow_ups = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Follow-ups",
        help_text="What we will do differently, one per line, with who owns it and by when "
        "(“Sam: add a horror-night example to the AutoMod notes, by Friday”).",
    )
    rulebook_change = forms.CharField(
        max_length=300,
        required=False,
        label="Change the rulebook",
        help_text="If the rulebook or ladder should change, say how in a line: the leads see "
        "it when they publish the next version, which then links back here.",
    )

    class Meta:
        model = Debrief
        fields = [
            "title",
            "happened_on",
            "what_happened",
            "what_we_did",
            "what_worked",
            "what_we_would_change",
        ]
        widgets = {
            "happened_on": forms.DateInput(attrs={"type": "date"}),
            "what_happened": forms.Textarea(attrs={"rows": 6}),
            "what_we_did": forms.Textarea(attrs={"rows": 6}),
            "what_worked": forms.Textarea(attrs={"rows": 4}),
            "what_we_would_change": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("what_happened", "what_we_did", "what_worked", "what_we_would_change"):
            self.fields[name].help_text += QUOTE_HELP

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise ValidationError("A debrief looks back: the incident's date cannot be ahead.")
        return day

    def clean_follow_ups(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["follow_ups"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_FOLLOW_UPS:
            raise ValidationError(f"At most {MAX_FOLLOW_UPS} follow-ups, one per line.")
        if any(len(line) > 300 for line in lines):
            raise ValidationError("Keep each follow-up to one line of 300 characters at most.")
        return lines


class NoteForm(ModelForm):
    class Meta:
        model = DebriefNote
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"body": "What you saw, what you'd add, what you'd do next time." + QUOTE_HELP}
