"""Forms for the guides. Plain HTML forms (checkboxes, radio buttons, a submit button), so
everything works without JavaScript and with a keyboard or a screen reader."""

from __future__ import annotations

from django import forms
from django.forms import BoundField
from django.utils.html import format_html

from portal.accounts.models import Role
from portal.core.forms import Form
from portal.guides import questionnaire
from portal.guides.library import stored_html
from portal.guides.models import FeedbackReason
from portal.guides.services import JOURNAL_MAX_LENGTH

COMMENT_MAX_LENGTH = 2000


class ReaderForm(Form):
    """A form a page draws with the reader's own answers in it (their ticks, their feedback,
    their note). Unsent, it shows nothing but its fields and those answers, so
    templates/guides/includes/form_fields.html caches it under ``shown_values``."""

    @property
    def shown_values(self) -> str:
        """The answers the unsent form shows, as part of its cache key ("[]" when blank, as
        every reader sees it first). Values, never the person: two readers with the same
        ticks are shown the same form."""
        return repr(sorted((name, value) for name, value in self.initial.items() if value))


class ChecklistForm(ReaderForm):
    """Send only the ticked items: an unticked checkbox is not submitted, which unticks it."""

    items = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Your checklist"
    )

    def __init__(self, checklist: list[dict], *args, label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [
            (item["key"], stored_html(item["html"])) for item in checklist
        ]
        if label:
            self.fields["items"].label = label


class CheckForm(Form):
    """One required radio group per question, as a paper shows them (papers.py: ``shown``).

    A choice's value is its position on the page, not its index in the file, so the HTML
    carries no clue either; the paper turns positions back into the file's indexes.
    """

    def __init__(self, questions: list[dict], *args, **kwargs):
        kwargs.setdefault("prefix", "check")
        super().__init__(*args, **kwargs)
        self.drawn = [question.get("drawn", "") for question in questions]
        for number, question in enumerate(questions):
            self.fields[f"q{number}"] = forms.TypedChoiceField(
                label=format_html("{}. {}", number + 1, stored_html(question["question_html"])),
                choices=[(str(i), stored_html(h)) for i, h in enumerate(question["choices_html"])],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose an answer to this question."},
            )

    def drawn_fields(self) -> list[tuple[BoundField, str]]:
        """Each question's field beside what its paper drew there (papers.py: ``drawn``): the
        key of the field's blank copy (templates/guides/includes/check_questions.html)."""
        return list(zip(self, self.drawn, strict=True))

    def positions(self) -> list[int]:
        """The position of the choice picked, per question."""
        return [self.cleaned_data[f"q{n}"] for n in range(len(self.fields))]


class PaperForm(Form):
    """Which attempt the answers beside it are for: the page's paper, sent back to be graded
    against the same one. Kept apart from CheckForm, whose blank questions are a cached
    fragment the same for everyone who draws that order (lesson_detail.html)."""

    attempt = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "check")
        super().__init__(*args, **kwargs)


class FeedbackForm(ReaderForm):
    conditionally_required = frozenset({"reason"})
    helpful = forms.TypedChoiceField(
        label="Was this lesson helpful?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no."},
    )
    reason = forms.ChoiceField(
        label="If not, what was wrong?",
        choices=FeedbackReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Anything else?",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Site staff read this to improve the guides. Please leave out names and "
        "personal details.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "feedback")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("helpful") is False and not data.get("reason"):
            self.add_error("reason", "Tell us what was wrong, so we can fix it.")
        return data


class JournalForm(ReaderForm):
    body = forms.CharField(
        label="Your note",
        max_length=JOURNAL_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Private: only you can see it, in your reflection journal. Markdown works "
        "(**bold**, lists, links). Leave out other people's personal details.",
        error_messages={"required": "Write a few words first."},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "journal")
        super().__init__(*args, **kwargs)


class RoleQuestionnaireForm(Form):
    """Submitted with GET: answering changes nothing, and the results page can be linked."""

    experience = forms.ChoiceField(
        label="How long have you been moderating?",
        choices=questionnaire.EXPERIENCE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for statement in questionnaire.STATEMENTS:
            self.fields[statement.role_slug] = forms.ChoiceField(
                label=statement.text,
                choices=questionnaire.FREQUENCIES,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose how often you do this."},
            )

    def suggested_roles(self) -> list[str]:
        data = self.cleaned_data
        return questionnaire.suggested_roles(
            answers={s.role_slug: data[s.role_slug] for s in questionnaire.STATEMENTS},
            experience=data["experience"],
        )


class RolesForm(Form):
    roles = forms.ModelMultipleChoiceField(
        queryset=Role.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Roles you play",
    )


class SearchForm(Form):
    is_filter = True  # shown beside the results: see FormConventions
    q = forms.CharField(label="Search the guides", max_length=200, required=False)
