"""Forms for the board. Each turns what a person typed into clean values, or an error beside
the field; services do the saving (and enforce the rules again)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.db.models.functions import Lower

from portal.accounts.forms import clean_twitch_login
from portal.accounts.models import Language, Role, User
from portal.board import rules
from portal.board.models import (
    MAX_QUESTIONS,
    REVIEW_STEPS,
    ApplicationStatus,
    Channel,
    Compensation,
    Opening,
    Question,
    QuestionKind,
    ReportReason,
)
from portal.board.services import QuestionSpec, check_closes_on, local_today
from portal.core.forms import Form, add_refusal
from portal.core.schedule import format_windows, parse_windows, timezone_choices
from portal.markup import validate_markdown

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
SAFETY_CONFIRMATION = (
    "I confirm this opening asks applicants for no password, login code, stream key or money"
)


class ChannelForm(Form):
    name = forms.CharField(max_length=80)
    twitch_login = forms.CharField(
        label="Twitch login",
        max_length=26,
        help_text="The channel's Twitch username. It shows as verified once you log in with "
        "that Twitch account (where this site offers Twitch login).",
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

    def __init__(
        self, *args, channel: Channel | None = None, owner: User | None = None, **kwargs
    ) -> None:
        self.channel, self.owner = channel, owner
        super().__init__(*args, **kwargs)

    def clean_twitch_login(self) -> str:
        login = clean_twitch_login(self.cleaned_data["twitch_login"])
        if not login:
            raise forms.ValidationError("Which Twitch channel is it?")
        taken = Channel.objects.annotate(login=Lower("twitch_login")).filter(login=login)
        if self.channel is not None:
            taken = taken.exclude(pk=self.channel.pk)
        if self.owner is not None:
            # Registering it again is done already: channel_register leads them to it.
            taken = taken.exclude(owner=self.owner)
        if taken.exists():
            raise forms.ValidationError("That Twitch channel is already registered here.")
        return login


# --- Browsing -------------------------------------------------------------------------------


class OpeningForm(Form):
    channel = forms.ModelChoiceField(queryset=Channel.objects.none(), empty_label=None)
    title = forms.CharField(
        max_length=120, help_text="Say what you need, like “Night-shift chat enforcer”."
    )
    roles = forms.ModelMultipleChoiceField(
        queryset=Role.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label="Roles you are looking for",
    )
    languages = forms.ModelMultipleChoiceField(
        queryset=Language.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="The languages your chat speaks. Hold Ctrl (or ⌘) to choose more than one.",
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[validate_markdown],
        help_text="Markdown. The channel, the chat, and what the moderator will do.",
    )
    requirements = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        validators=[validate_markdown],
        help_text="Markdown. Experience, tools, anything an applicant should have.",
    )
    schedule = forms.CharField(
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "Fri 20:00-23:00\nSat-Sun 14:00-18:00"}
        ),
        required=False,
        label="When you need cover",
        help_text="One window per line, in the channel's timezone: “Fri 20:00-23:00”, "
        "“Weekdays 19:00-22:00”. Readers see it in their own timezone.",
    )
    hours_per_week = forms.IntegerField(min_value=1, max_value=168, label="Hours a week")
    compensation = forms.ChoiceField(
        choices=Compensation.choices, widget=forms.RadioSelect, initial=Compensation.VOLUNTEER
    )
    compensation_note = forms.CharField(
        max_length=200,
        required=False,
        label="About the compensation",
        help_text="Like “$12 an hour” or “a channel emote and our thanks”.",
    )
    trial_days = forms.IntegerField(
        min_value=1,
        max_value=90,
        required=False,
        label="Trial period (days)",
        help_text="Leave empty for no trial period.",
    )
    closes_on = forms.DateField(
        widget=DATE_INPUT,
        label="Closes on",
        help_text=f"The last day you take applications: at most {rules.MAX_OPEN_DAYS} days "
        "from today. We remind you a few days before.",
    )
    acknowledge_safety = forms.BooleanField(
        required=False,
        label=SAFETY_CONFIRMATION,
    )

    def __init__(self, *args, owner, opening: Opening | None = None, **kwargs) -> None:
        self.opening = opening
        super().__init__(*args, **kwargs)
        if opening is None:
            self.fields["channel"].queryset = Channel.objects.filter(owner=owner).order_by("name")
            tz = "UTC"
        else:
            del self.fields["channel"]
            tz = opening.timezone
        if not self.is_bound and "closes_on" not in self.initial:
            self.initial["closes_on"] = local_today(tz) + timedelta(days=rules.DEFAULT_OPEN_DAYS)

    def clean_schedule(self):
        return parse_windows(self.cleaned_data["schedule"])

    def clean(self):
        """The closing date's rules (the service holds them too) are checked here, whatever
        else is wrong, so a person sees every error in one round rather than the date's only
        after fixing the rest. They need the channel's timezone ("today" is the channel's):
        the opening's when editing, the chosen channel's when posting."""
        data = super().clean()
        closes_on = data.get("closes_on")
        channel = data.get("channel")
        tz = self.opening.timezone if self.opening is not None else getattr(channel, "timezone", "")
        if closes_on is not None and tz:
            try:
                check_closes_on(closes_on, tz, None)
            except forms.ValidationError as exc:
                add_refusal(self, exc)
        return data

    def safety_concerns(self, questions) -> list[str]:
        """The scam-word check on what was typed, its questions included (the service holds
        the same check), for the warning above the form; nothing before anything is typed."""
        if not self.is_bound:
            return []
        self.is_valid()
        questions.is_valid()
        asked = [form.asked() for form in questions.forms] if questions.is_bound else []
        texts = (self.cleaned_data.get(name) or "" for name in rules.CHECKED_FIELDS)
        return rules.safety_concerns(*texts, questions=asked)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "roles": data["roles"],
            "languages": data["languages"],
            "description": data["description"],
            "requirements": data["requirements"],
            "windows": data["schedule"],
            "hours_per_week": data["hours_per_week"],
            "compensation": data["compensation"],
            "compensation_note": data["compensation_note"],
            "trial_days": data["trial_days"],
            "closes_on": data["closes_on"],
        }

    @staticmethod
    def initial_for(opening: Opening) -> dict:
        return {
            "title": opening.title,
            "roles": list(opening.roles.all()),
            "languages": list(opening.languages.all()),
            "description": opening.description,
            "requirements": opening.requirements,
            "schedule": format_windows(opening.windows),
            "hours_per_week": opening.hours_per_week,
            "compensation": opening.compensation,
            "compensation_note": opening.compensation_note,
            "trial_days": opening.trial_days,
            "closes_on": opening.closes_on,
        }


class QuestionForm(Form):
    prompt = forms.CharField(
        max_length=300, required=False, label="Question", help_text="Leave empty to skip."
    )
    kind = forms.ChoiceField(choices=QuestionKind.choices, label="Answered with")
    choices = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Choices",
        help_text="For a single-choice question: one choice per line.",
    )
    required = forms.BooleanField(required=False, initial=True, label="An answer is required")

    def clean(self):
        data = super().clean()
        choices = [c.strip() for c in (data.get("choices") or "").splitlines() if c.strip()]
        data["choice_list"] = choices
        if data.get("prompt") and data.get("kind") == QuestionKind.CHOICE and len(choices) < 2:
            self.add_error("choices", "Give at least two choices, one per line.")
        if len(choices) > 20:
            self.add_error("choices", "At most 20 choices, please.")
        return data

    def asked(self) -> QuestionSpec:
        """The question as typed so far, valid or not, for the scam-word check."""
        data = getattr(self, "cleaned_data", {})
        return QuestionSpec(prompt=data.get("prompt") or "", choices=data.get("choice_list", []))

    def spec(self) -> QuestionSpec | None:
        data = self.cleaned_data
        if not data.get("prompt", "").strip():
            return None
        return QuestionSpec(
            prompt=data["prompt"],
            kind=data["kind"],
            required=data["required"],
            choices=data["choice_list"],
        )


QuestionFormSet = forms.formset_factory(
    QuestionForm, extra=0, max_num=MAX_QUESTIONS, absolute_max=MAX_QUESTIONS, validate_max=True
)
BLANK_QUESTION_SLOTS = 3


def question_formset(*, data=None, questions: list[Question] | None = None, add_slots: int = 0):
    """The questions' formset: the existing ones, then a few blank slots to fill in. Without
    JavaScript, "Add more questions" posts the form back with more blank slots."""
    if data is not None:
        if add_slots:
            data = data.copy()
            try:
                total = int(data.get("questions-TOTAL_FORMS") or 0)
            except ValueError:
                total = 0  # a tampered form: the formset reports it beside the questions
            data["questions-TOTAL_FORMS"] = str(min(MAX_QUESTIONS, total + add_slots))
        return QuestionFormSet(data, prefix="questions")
    initial = [
        {
            "prompt": q.prompt,
            "kind": q.kind,
            "choices": "\n".join(q.choices),
            "required": q.required,
        }
        for q in questions or []
    ]
    formset = forms.formset_factory(
        QuestionForm,
        extra=max(0, min(BLANK_QUESTION_SLOTS, MAX_QUESTIONS - len(initial))),
        max_num=MAX_QUESTIONS,
        absolute_max=MAX_QUESTIONS,
        validate_max=True,
    )
    return formset(initial=initial, prefix="questions")


class PublishForm(Form):
    acknowledge_safety = forms.BooleanField(
        required=False,
        label=SAFETY_CONFIRMATION,
    )


class ExtendForm(Form):
    closes_on = forms.DateField(widget=DATE_INPUT, label="New closing date")


# --- Applying and reviewing -----------------------------------------------------------------


class ApplyForm(Form):
    """The opening's own questions (built from its Question rows), then a message."""

    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        validators=[validate_markdown],
        label="Your message to the streamer",
        help_text="Markdown. Why this channel, and what you would bring. Your profile is "
        "attached. Never include a password, login code or stream key.",
    )

    def __init__(self, *args, questions: list[Question], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        fields = {}
        for question in questions:
            name = f"question_{question.pk}"
            if question.kind == QuestionKind.CHOICE:
                fields[name] = forms.ChoiceField(
                    label=question.prompt,
                    choices=[(c, c) for c in question.choices],
                    widget=forms.RadioSelect,
                    required=question.required,
                )
            else:
                paragraph = question.kind == QuestionKind.PARAGRAPH
                fields[name] = forms.CharField(
                    label=question.prompt,
                    max_length=4000 if paragraph else 300,
                    required=question.required,
                    widget=forms.Textarea(attrs={"rows": 4}) if paragraph else forms.TextInput,
                )
        # The questions come first, as the streamer ordered them.
        self.fields = {**fields, **self.fields}

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(f"question_{q.pk}") or "" for q in self.questions}


TELL_REASON = "tell"
KEEP_REASON = "keep"
# Every stage an application can be moved to (from "submitted", the start): a bulk move
# offers them all, and each ticked application is refused where its own status forbids it.
BULK_STEPS = [(s, ApplicationStatus(s).label) for s in REVIEW_STEPS[ApplicationStatus.SUBMITTED]]


class ReviewForm(Form):
    """Moving an application on. Declining asks for a reason and, knowingly, whether the
    applicant is told it (the email and their page follow that choice); it is kept in the
    history either way."""

    # Asked for when declining (clean() says so), not "(optional)".
    conditionally_required = frozenset({"reason", "tell_applicant"})
    status = forms.ChoiceField(label="Move to", widget=forms.RadioSelect)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        label="Reason for declining",
        help_text="Kept in the application's history. Needed if you tell the applicant.",
    )
    tell_applicant = forms.ChoiceField(
        label="If declining, tell the applicant the reason?",
        widget=forms.RadioSelect,
        required=False,
        choices=[
            (TELL_REASON, "Yes: their page and email show the reason"),
            (KEEP_REASON, "No: they are told only that it is declined"),
        ],
    )
    mark_filled = forms.BooleanField(
        required=False, label="Accepting fills the opening (it stops taking applications)"
    )

    def __init__(self, *args, steps: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = steps

    def clean(self) -> dict:
        data = super().clean()
        if data.get("status") == ApplicationStatus.DECLINED:
            tell = data.get("tell_applicant")
            if not tell:
                self.add_error(
                    "tell_applicant", "Choose whether the applicant is told your reason."
                )
            elif tell == TELL_REASON and not (data.get("reason") or "").strip():
                self.add_error("reason", "Write the reason the applicant will read.")
        data["reason_shared"] = data.get("tell_applicant") == TELL_REASON
        return data


class BulkMoveForm(ReviewForm):
    """The review table's form: one stage for every ticked application (each moved as a
    single move would be; accepting several never fills the opening by itself)."""

    applications = forms.TypedMultipleChoiceField(
        coerce=int, label="Applications", error_messages={"required": "Tick an application."}
    )

    def __init__(self, *args, applications: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, steps=BULK_STEPS, **kwargs)
        del self.fields["mark_filled"]
        self.fields["applications"].choices = applications
        self.fields["status"].label = "Stage"


class ReportForm(Form):
    reason = forms.ChoiceField(choices=ReportReason.choices, widget=forms.RadioSelect)
    details = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
        help_text="What staff should look at. Only staff see your report.",
    )


class RemoveForm(Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="Reason for removing (sent to the owner)",
    )


class InviteForm(Form):
    opening = forms.ChoiceField(label="Invite them to apply to")
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
        label="A note",
    )

    def __init__(self, *args, openings: list[Opening], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.openings = {str(o.pk): o for o in openings}
        self.fields["opening"].choices = [
            (str(o.pk), f"{o.title} ({o.channel.name})") for o in openings
        ]

    def clean_opening(self) -> Opening:
        return self.openings[self.cleaned_data["opening"]]
