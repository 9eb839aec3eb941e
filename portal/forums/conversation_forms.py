"""The forms of private conversations: starting one (who, a title, the first message) and
writing in one. Who may talk with whom is the service's to decide (it may refuse a valid
form: a block, the age line, a limit); the form only turns names into members."""

from __future__ import annotations

import operator
import re
from functools import reduce

from django import forms
from django.db.models import Q

from portal.accounts.models import User
from portal.core.forms import Form
from portal.forums.forms import BODY_HELP
from portal.forums.services.conversations import MAX_PEOPLE
from portal.markup import validate_markdown

_NAMES = re.compile(r"[\s,]+")


def _message_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        min_length=2,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[validate_markdown],
        help_text=BODY_HELP,
    )


class ConversationForm(Form):
    to = forms.CharField(
        label="To",
        max_length=400,
        help_text=f"Their usernames, separated by commas (up to {MAX_PEOPLE - 1} people).",
    )
    title = forms.CharField(min_length=5, max_length=140)
    body = _message_field("Your message")

    def __init__(self, *args, starter: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.starter = starter

    def clean_to(self) -> list[User]:
        names = [name.lstrip("@") for name in _NAMES.split(self.cleaned_data["to"]) if name]
        names = list(dict.fromkeys(name.casefold() for name in names if name))
        if not names:
            raise forms.ValidationError("Name at least one member.")
        if len(names) > MAX_PEOPLE - 1:
            raise forms.ValidationError(
                f"A conversation has at most {MAX_PEOPLE} people, you included."
            )
        if self.starter.username.casefold() in names:
            raise forms.ValidationError("Name the others; you are in it already.")
        found = {
            person.username.casefold(): person
            for person in User.objects.filter(_any_of(names), is_active=True)
            .select_related("profile")
            .order_by("pk")
        }
        missing = [name for name in names if name not in found]
        if missing:
            raise forms.ValidationError(f"No member is called {', '.join(missing)}.")
        return [found[name] for name in names]


def _any_of(names: list[str]) -> Q:
    return reduce(operator.or_, (Q(username__iexact=name) for name in names))


class MessageForm(Form):
    body = _message_field("Your message")
