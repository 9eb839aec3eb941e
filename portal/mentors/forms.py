"""Forms for mentoring. Each turns what a person typed into clean values or an error beside
the field; the services decide and save."""

from __future__ import annotations

from django import forms

from portal.accounts.models import Language, Role, User
from portal.core.forms import Form
from portal.core.schedule import format_windows, parse_windows, timezone_choices
from portal.guides.models import Track
from portal.markup import validate_markdown
from portal.mentors.models import CheckInEvery, Mentor


class MentorForm(Form):
    roles = forms.ModelMultipleChoiceField(
        queryset=Role.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label="Roles you mentor",
    )
    languages = forms.ModelMultipleChoiceField(
        queryset=Language.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        label="Languages you mentor in",
        help_text="Hold Ctrl (or ⌘) to choose more than one.",
    )
    timezone = forms.ChoiceField(choices=timezone_choices, initial="UTC", label="Your timezone")
    availability = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "Tue 19:00-21:00\nSat 10:00-12:00"}),
        label="When you can mentor",
        error_messages={"required": "Write at least one window, like “Tue 19:00-21:00”."},
        help_text="One window per line, in your timezone: “Tue 19:00-21:00”, "
        "“Weekdays 18:00-19:00”. Mentees see it in their own time.",
    )
    capacity = forms.IntegerField(min_value=1, max_value=10, initial=2, label="Mentees at once")
    note = forms.CharField(
        max_length=300,
        required=False,
        label="A short note for mentees",
        help_text="What you can help with, how you like to work.",
    )
    is_open = forms.BooleanField(required=False, initial=True, label="I am taking new mentees now")

    def clean_availability(self):
        windows = parse_windows(self.cleaned_data["availability"])
        if not windows:
            raise forms.ValidationError("Write at least one window, like “Tue 19:00-21:00”.")
        return windows

    @staticmethod
    def initial_for(mentor: Mentor | None, user: User) -> dict:
        if mentor is None:
            profile = user.profile
            return {
                "roles": list(profile.roles.all()),
                "languages": list(profile.languages.all()),
                "timezone": profile.timezone,
                "availability": format_windows(profile.windows),
                "capacity": 2,
                "is_open": True,
            }
        return {
            "roles": list(mentor.roles.all()),
            "languages": list(mentor.languages.all()),
            "timezone": mentor.timezone,
            "availability": format_windows(mentor.windows),
            "capacity": mentor.capacity,
            "note": mentor.note,
            "is_open": mentor.is_open,
        }


class AskForm(Form):
    message = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="What would you like help with?",
        help_text="Your role, your channel, what feels hard. Only your mentor reads this"
        " (and the observer, for an open mentorship).",
    )
    understood = forms.BooleanField(
        required=False,
        label="I understand my mentorship will be open: a second mentor or a member of staff "
        "can read my conversation with my mentor",
    )

    def __init__(self, *args, observed: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.observed = observed
        if observed:
            self.fields["understood"].required = True
        else:
            del self.fields["understood"]


def member_named(name: str) -> User | None:
    """The active member with this username (an "@" before it is fine), None for nothing."""
    name = name.strip().removeprefix("@")
    if not name:
        return None
    person = User.objects.filter(username__iexact=name, is_active=True).first()
    if person is None:
        raise forms.ValidationError("Nobody here has that username.")
    return person


class AnswerForm(Form):
    conditionally_required = frozenset({"observer"})

    decision = forms.ChoiceField(
        choices=[("accept", "Accept: I will mentor them"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        label="Your answer",
    )
    note = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="A note with your answer",
    )
    observer = forms.CharField(
        max_length=150,
        required=False,
        label="Observer's username",
        help_text="A second mentor or a member of staff who will read your conversation "
        "(needed when you accept).",
    )

    def __init__(self, *args, observed: bool = False, **kwargs) -> None:
        kwargs.setdefault("prefix", "answer")  # one of several forms on the mentorship page
        super().__init__(*args, **kwargs)
        self.observed = observed
        if not observed:
            del self.fields["observer"]

    def clean_observer(self) -> User | None:
        return member_named(self.cleaned_data["observer"])

    def clean(self):
        data = super().clean()
        wants_observer = self.observed and data.get("decision") == "accept"
        if wants_observer and not data.get("observer") and "observer" not in self.errors:
            self.add_error(
                "observer", "Name who will read the conversation: it is an open mentorship."
            )
        return data


class ObserverForm(Form):
    """The mentor names the observer of an open mentorship that has none now."""

    observer = forms.CharField(
        max_length=150,
        label="Observer's username",
        help_text="A second mentor or a member of staff who will read your conversation.",
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "observer")  # one of several forms on the mentorship page
        super().__init__(*args, **kwargs)

    def clean_observer(self) -> User | None:
        return member_named(self.cleaned_data["observer"])


class GoalForm(Form):
    conditionally_required = frozenset({"title", "track"})

    title = forms.CharField(max_length=200, required=False, label="Goal")
    track = forms.ModelChoiceField(
        queryset=Track.objects.filter(is_retired=False).order_by("order", "title"),
        required=False,
        label="A guide track to go through together",
        empty_label="(none)",
    )

    def clean(self):
        data = super().clean()
        if not data.get("title") and not data.get("track") and not self.errors:
            self.add_error("title", "Write a goal or choose a guide track.")
        return data

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "goal")  # one of several forms on the mentorship page
        super().__init__(*args, **kwargs)


class ScheduleForm(Form):
    every = forms.TypedChoiceField(
        choices=[("", "No set rhythm"), *CheckInEvery.choices],
        coerce=int,
        empty_value=None,
        required=False,
        label="Check in",
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "schedule")  # one of several forms on the mentorship page
        super().__init__(*args, **kwargs)


class CheckInForm(Form):
    note = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_markdown],
        label="How did it go since the last check-in?",
        help_text="Markdown. Both of you (and the observer of an open mentorship) read it.",
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "checkin")  # one of several forms on the mentorship page
        super().__init__(*args, **kwargs)


class ReflectionForm(Form):
    reflection = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Your reflection",
        help_text="A few lines: what worked, what you learned, what you would do again.",
    )
