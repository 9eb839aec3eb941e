"""The rulebook's forms: publishing a version (its two texts, the ladder's steps, what
changed and why, the debrief follow-ups it answers) and "I've read it"."""

from __future__ import annotations

from django import forms

from portal.core.forms import Form, ModelForm
from portal.teams.models import (
    FollowUp,
    LadderAction,
    RulebookVersion,
)
from portal.teams.models.rulebook import (
    MAX_LADDER_STEPS,
    TIMEOUT_DEFAULT,
    TIMEOUT_LONGEST,
    TIMEOUT_SHORTEST,
)
from portal.teams.services import StepSpec

UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "weeks": 7 * 86400}
UNIT_CHOICES = [(name, name) for name in UNITS]


class FollowUpChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: FollowUp) -> str:
        return f"{obj.text} (from the debrief “{obj.debrief.title}”)"


class PublishForm(ModelForm):
    answers = FollowUpChoices(
        queryset=FollowUp.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="This version makes the rulebook change asked in",
        help_text="Ticked follow-ups are marked done, with a link to this version.",
    )

    class Meta:
        model = RulebookVersion
        fields = ["public_rules", "team_rules", "ladder_is_public", "change_note"]
        widgets = {
            "public_rules": forms.Textarea(attrs={"rows": 12}),
            "team_rules": forms.Textarea(attrs={"rows": 16}),
        }

    def __init__(self, *args, follow_ups: list[FollowUp] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answers"].queryset = FollowUp.objects.filter(
            pk__in=[f.pk for f in follow_ups]
        ).select_related("debrief")
        if not follow_ups:
            del self.fields["answers"]


class LadderStepForm(Form):
    """One step of the ladder; a slot left empty is no step."""

    action = forms.ChoiceField(
        choices=[("", "(no step)"), *LadderAction.choices],
        required=False,
        label="What the moderator does",
    )
    earns_it = forms.CharField(
        max_length=300,
        required=False,
        label="What earns it",
        help_text="e.g. “A first, minor slip: a mild spoiler, off-topic”.",
    )
    timeout_length = forms.IntegerField(
        min_value=1,
        max_value=TIMEOUT_LONGEST,
        required=False,
        label="Timeout length",
        help_text="For a timeout: from 1 second to 2 weeks (the platform's default is 10 "
        "minutes; 1 second only clears the chatter's messages).",
    )
    timeout_unit = forms.ChoiceField(
        choices=UNIT_CHOICES, initial="minutes", required=False, label="Timeout unit"
    )

    def clean(self):
        data = super().clean()
        action, earns_it = data.get("action"), (data.get("earns_it") or "").strip()
        if not action and earns_it:
            self.add_error("action", "Choose what the moderator does at this step.")
        if action and not earns_it:
            self.add_error("earns_it", "Say what earns this step.")
        data["seconds"] = None
        if action == LadderAction.TIMEOUT:
            length, unit = data.get("timeout_length"), data.get("timeout_unit") or "minutes"
            if length is None and "timeout_length" not in self.errors:
                self.add_error("timeout_length", "Say how long the timeout lasts.")
            elif length is not None:
                seconds = length * UNITS.get(unit, 60)
                if not TIMEOUT_SHORTEST <= seconds <= TIMEOUT_LONGEST:
                    self.add_error(
                        "timeout_length",
                        "A timeout lasts from 1 second to 2 weeks on the platform; for longer, "
                        "ban and let the chatter send an unban request.",
                    )
                data["seconds"] = seconds
        return data

    def spec(self) -> StepSpec | None:
        data = self.cleaned_data
        if not data.get("action"):
            return None
        return StepSpec(
            action=LadderAction(data["action"]),
            earns_it=data["earns_it"].strip(),
            timeout_seconds=data.get("seconds"),
        )


LadderFormSet = forms.formset_factory(
    LadderStepForm,
    extra=0,
    max_num=MAX_LADDER_STEPS,
    absolute_max=MAX_LADDER_STEPS,
    validate_max=True,
)
BLANK_STEP_SLOTS = 2

# The ladder a first rulebook starts from: the lead moderator track's, in the platform's terms.
STARTING_LADDER = [
    (LadderAction.REMINDER, "A first, minor slip (a mild spoiler, off-topic)", None),
    (LadderAction.DELETE, "The message itself breaks a rule", None),
    (LadderAction.WARNING, "A clear break, or repeating after a reminder", None),
    (LadderAction.TIMEOUT, "Continuing after a warning, or arguing in chat", TIMEOUT_DEFAULT),
    (
        LadderAction.BAN,
        "Repeated timeouts; at once for hate speech, threats, sharing personal information, "
        "spam bots, ban evasion",
        None,
    ),
]


def _length_and_unit(seconds: int | None) -> tuple[int | None, str]:
    if not seconds:
        return None, "minutes"
    for unit in ("weeks", "days", "hours", "minutes"):
        if seconds % UNITS[unit] == 0:
            return seconds // UNITS[unit], unit
    return seconds, "seconds"


def ladder_formset(*, data=None, steps=None):
    """The ladder's slots: the steps of the version in force (or the track's starting
    ladder), then a few blank slots."""
    if data is not None:
        return LadderFormSet(data, prefix="ladder")
    if steps is None:
        rows = STARTING_LADDER
    else:
        rows = [(s.action, s.earns_it, s.timeout_seconds) for s in steps]
    initial = []
    for action, earns_it, seconds in rows:
        length, unit = _length_and_unit(seconds)
        initial.append(
            {"action": action, "earns_it": earns_it, "timeout_length": length, "timeout_unit": unit}
        )
    formset = forms.formset_factory(
        LadderStepForm,
        extra=max(0, min(BLANK_STEP_SLOTS, MAX_LADDER_STEPS - len(initial))),
        max_num=MAX_LADDER_STEPS,
        absolute_max=MAX_LADDER_STEPS,
        validate_max=True,
    )
    return formset(initial=initial, prefix="ladder")


class AcknowledgeForm(Form):
    """ "I've read version N": the number says which version the person read, so a version
    published while they were reading is not acknowledged unread."""

    number = forms.IntegerField(min_value=1, max_value=2_147_483_647, widget=forms.HiddenInput)
