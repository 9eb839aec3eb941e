"""Debriefs: the team looking back at an incident in the blameless format the lead moderator
track teaches ("we look at decisions, not at people"): what happened, what we did, what
worked, what we'd change, and follow-ups, one of which can be "change the rulebook" and then
links to the version that did. Others on the team add notes.

Debriefs are private to the team. They never quote abusive messages in full ("we don't
re-read abusive messages; the notes summarise them"): every text here refuses a block quote
or a chat line longer than a few words, on save, with the reason beside the field.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from portal.markup import validate_markdown
from portal.teams.models.rulebook import RulebookVersion
from portal.teams.models.team import Team

# The longest quote of chat a debrief may hold: enough for the few words a decision turned on
# ("kill it kill it"), too short for a whole abusive message.
QUOTE_LIMIT = 60

QUOTING_GUIDANCE = (
    f"Summarise what chat said instead of quoting it: “a slur aimed at the streamer”, "
    f"“threats naming a city”. Where the exact words matter, quote a few ({QUOTE_LIMIT} "
    f"characters at most). Nobody needs to read the abuse twice."
)

# A line of a pasted chat log: "[21:04] name: text", "21:04 name: text", "<name> text",
# "@name: text", or the guides' own "**name**: text" with a lowercase login.
_CHAT_LINE = re.compile(
    r"""^\s*(?:[-*+]\s+)?(?:>\s*)*(?:
          \[?\d{1,2}:\d{2}(?::\d{2})?\]?\s+@?[\w.-]{2,25}\s*:\s*(?P<a>.+)
        | <@?[\w.-]{2,25}>\s*:?\s*(?P<b>.+)
        | @[\w.-]{2,25}\s*:\s*(?P<c>.+)
        | \*\*@?[a-z0-9_.-]{3,25}\*\*\s*:\s*(?P<d>.+)
    )$""",
    re.VERBOSE,
)
_FENCE = re.compile(r"^\s*(```|~~~)")


def refuse_long_quotes(text: str) -> None:
    """Refuse a block quote, or a chat line (pasted log), longer than QUOTE_LIMIT
    characters. The error names the line, so the writer finds it in a long text."""
    lines = (text or "").splitlines()
    problems: list[str] = []
    quote_start: int | None = None
    quote_text: list[str] = []

    def close_quote() -> None:
        nonlocal quote_start, quote_text
        said = " ".join(part for part in quote_text if part)
        if quote_start is not None and len(said) > QUOTE_LIMIT:
            problems.append(f"The quote from line {quote_start} is {len(said)} characters long.")
        quote_start, quote_text = None, []

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        chat = _CHAT_LINE.match(line)
        if chat and not stripped.startswith(">"):
            said = next(g for g in chat.group("a", "b", "c", "d") if g).strip()
            if len(said) > QUOTE_LIMIT:
                problems.append(f"Line {number} quotes a chat message of {len(said)} characters.")
        if stripped.startswith(">"):
            if quote_start is None:
                quote_start = number
            body = stripped.lstrip("> ").strip()
            chat_in_quote = _CHAT_LINE.match(body)
            if chat_in_quote:
                # Each quoted chat message counts on its own: "> **name**: text".
                said = next(g for g in chat_in_quote.group("a", "b", "c", "d") if g).strip()
                if len(said) > QUOTE_LIMIT:
                    problems.append(
                        f"Line {number} quotes a chat message of {len(said)} characters."
                    )
                continue
            quote_text.append(body)
        elif not _FENCE.match(line):
            close_quote()
    close_quote()
    if problems:
        raise ValidationError(
            " ".join(problems[:3])
            + f" A debrief never quotes chat in full: summarise it, or keep a quote to "
            f"{QUOTE_LIMIT} characters.",
            code="long_quote",
        )


class Debrief(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="debriefs")
    title = models.CharField(
        "What the incident was, in a few words",
        max_length=120,
        help_text="e.g. “Hate raid during the charity stream”. Names the incident, not a person.",
    )
    happened_on = models.DateField("When it happened")
    what_happened = models.TextField(
        "What happened",
        validators=[validate_markdown, refuse_long_quotes],
        help_text="In order, facts only: a brief timeline.",
    )
    what_happened_html = models.TextField(editable=False, blank=True)
    what_we_did = models.TextField(
        "What we did",
        validators=[validate_markdown, refuse_long_quotes],
        help_text="What we knew at the time, what we decided, and why it seemed right then.",
    )
    what_we_did_html = models.TextField(editable=False, blank=True)
    what_worked = models.TextField(
        "What worked",
        validators=[validate_markdown, refuse_long_quotes],
        help_text="What we want to keep doing.",
    )
    what_worked_html = models.TextField(editable=False, blank=True)
    what_we_would_change = models.TextField(
        "What we'd change",
        validators=[validate_markdown, refuse_long_quotes],
        help_text="Where we hesitated, overlapped or left gaps; whether the rulebook, ladder "
        "or presets helped.",
    )
    what_we_would_change_html = models.TextField(editable=False, blank=True)
    # Kept when the author leaves: the team relies on the debrief; it then reads "a former
    # member".
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="debriefs",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-happened_on", "-created_at", "-pk"]
        indexes = [models.Index(fields=["team", "-happened_on"], name="debrief_newest")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("teams:debrief", kwargs={"slug": self.team.slug, "debrief_id": self.pk})


class FollowUp(models.Model):
    """A change the debrief asks for. One that changes the rulebook is done when a lead
    publishes the version that makes it, and links to it."""

    debrief = models.ForeignKey(Debrief, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.CharField("Follow-up", max_length=300)
    changes_rulebook = models.BooleanField(default=False)
    rulebook_version = models.ForeignKey(
        RulebookVersion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answered_follow_ups",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class DebriefNote(models.Model):
    """What someone else on the team adds to a debrief."""

    debrief = models.ForeignKey(Debrief, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField("Your note", validators=[validate_markdown, refuse_long_quotes])
    body_html = models.TextField(editable=False, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="debrief_notes",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note on {self.debrief}"
