"""Forum forms: they turn what people typed into clean values or an error beside the field;
services do the rest (and may add their own errors, such as rate limits, to the form)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django import forms
from django.utils import timezone

from portal.core.forms import Form, ModelForm
from portal.forums.hold import HOLD_CATEGORIES, HOLD_GROUPS, MAX_LEVEL
from portal.forums.models import Category, FilterTerm, Flag, Reaction, Subscription
from portal.forums.models.moderation import TERM_ALREADY_LISTED
from portal.markup import validate_markdown

BODY_HELP = (
    "Markdown: **bold**, _italic_, > quote, `code`, [links](https://…). "
    "Mention someone with @username."
)


def _body_field(label: str = "Your post") -> forms.CharField:
    return forms.CharField(
        label=label,
        min_length=2,
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[validate_markdown],
        help_text=BODY_HELP,
    )


class TopicForm(Form):
    title = forms.CharField(min_length=5, max_length=140)
    body = _body_field()


class ReplyForm(Form):
    body = _body_field("Your reply")


class DraftForm(Form):
    """What is in the reply box when its author quotes a post: anything, unchecked but for
    the text rules every form keeps (it is not posted, only given back with the quote)."""

    body = forms.CharField(required=False, strip=False, widget=forms.Textarea)


class EditForm(Form):
    title = forms.CharField(min_length=5, max_length=140)
    body = _body_field()

    def __init__(self, *args, with_title: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]


class ReportForm(Form):
    conditionally_required = frozenset({"details"})
    reason = forms.ChoiceField(
        label="What is wrong with this post?",
        choices=[(v, label) for v, label in Flag.Reason.choices if v != Flag.Reason.FILTER],
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label="Anything the moderators should know",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required for “Something else”. Only forum moderators see it.",
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == Flag.Reason.OTHER and not data.get("details", "").strip():
            self.add_error("details", "Tell the moderators what is wrong.")
        return data


class ReasonForm(Form):
    reason = forms.CharField(
        label="Reason (the author sees it)",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(Form):
    reason = forms.CharField(
        label="Note for the log",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MoveForm(Form):
    category = forms.ModelChoiceField(queryset=Category.objects.public(), label="Move to")
    reason = forms.CharField(label="Note for the log", required=False, max_length=1000)


class SuspendForm(Form):
    until = forms.DateField(
        label="Suspended until (the end of this day, UTC)",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label="Reason (the person sees it)",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_until(self) -> datetime:
        day = self.cleaned_data["until"]
        if day < timezone.now().date():
            raise forms.ValidationError("That day has passed; choose a day from today on.")
        if day > timezone.now().date() + timedelta(days=3650):
            raise forms.ValidationError("At most ten years.")
        return datetime.combine(day, time(23, 59), tzinfo=UTC)


class WatchForm(Form):
    level = forms.ChoiceField(
        label="Notifications", choices=Subscription.Level.choices, widget=forms.RadioSelect
    )


class ReactionForm(Form):
    """A reaction button: ``give=<kind>`` or ``take_back=<kind>``, never a toggle, so the same
    click sent twice does what it said once (services/reactions.py)."""

    give = forms.ChoiceField(choices=Reaction.Kind.choices, required=False)
    take_back = forms.ChoiceField(choices=Reaction.Kind.choices, required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        wants = [name for name in ("give", "take_back") if cleaned.get(name)]
        if len(wants) != 1:
            raise forms.ValidationError("Give a reaction or take one back.")
        cleaned["want"], cleaned["kind"] = wants[0], cleaned[wants[0]]
        return cleaned


class SearchForm(Form):
    is_filter = True  # shown beside the results: see FormConventions
    # Never required: an empty or too short search gets suggestions, not an error.
    q = forms.CharField(label="Search the forums", max_length=200, required=False)


# --- The holding rules (forum moderators) --------------------------------------------------

HOLD_LEVEL_CHOICES = [
    (0, "0 · off"),
    *((level, str(level)) for level in range(1, MAX_LEVEL)),
    (MAX_LEVEL, f"{MAX_LEVEL} · holds the most"),
]
_GROUP_OF = {key: group for group, keys in HOLD_GROUPS.items() for key in keys}


class HoldLevelsForm(Form):
    """A category's eight hold levels, as on the platform's AutoMod."""

    def __init__(self, *args, category: Category, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, name in HOLD_CATEGORIES:
            self.fields[key] = forms.TypedChoiceField(
                label=name,
                choices=HOLD_LEVEL_CHOICES,
                coerce=int,
                initial=category.hold_levels[key],
                help_text=_GROUP_OF[key],
            )


class FilterTermForm(ModelForm):
    """Add or change a blocked or permitted term; the model's own rules (hold.parse_term, a
    permitted term is site-wide) put their errors beside the fields."""

    class Meta:
        model = FilterTerm
        fields = ["text", "action", "category", "level", "note"]
        labels = {"text": "Term", "action": "List", "category": "Hold category"}
        help_texts = {
            "category": "Empty: held in every forum category, at any level. With a category: "
            "an addition to its word list, held where its level reaches the one below. "
            "Permitted terms are always site-wide.",
            "level": "Only with a hold category: the lowest level that holds it (1 to 4).",
        }
        widgets = {"level": forms.NumberInput(attrs={"min": 1, "max": MAX_LEVEL})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Site-wide (no category)"), *HOLD_CATEGORIES]

    def validate_unique(self) -> None:
        # Said in words beside the term, rather than Django's message about the constraint.
        term = self.instance
        if (
            FilterTerm.objects.filter(text=term.text, action=term.action, category=term.category)
            .exclude(pk=term.pk)
            .exists()
        ):
            self.add_error("text", TERM_ALREADY_LISTED)
