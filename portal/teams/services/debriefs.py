"""Writes to debriefs: writing one (anyone on the team), adding a note to one, and adding a
follow-up. Every text is checked by the model's validators on ``full_clean()`` (its length,
and no chat quoted in full) and rendered once, through the one renderer."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from portal.accounts.models import User
from portal.markup import render_markdown
from portal.teams.models import Debrief, DebriefNote, EventKind, FollowUp, Team
from portal.teams.services.membership import team_event_record, team_touch

DEBRIEF_TEXTS = ("what_happened", "what_we_did", "what_worked", "what_we_would_change")


@transaction.atomic
def debrief_write(
    *,
    team: Team,
    author: User,
    title: str,
    happened_on: date,
    what_happened: str,
    what_we_did: str,
    what_worked: str,
    what_we_would_change: str,
    follow_ups: Iterable[str] = (),
    rulebook_change: str = "",
) -> Debrief:
    """Write a debrief with its follow-ups, and tell the team."""
    debrief = Debrief(
        team=team,
        author=author,
        title=title,
        happened_on=happened_on,
        what_happened=what_happened,
        what_we_did=what_we_did,
        what_worked=what_worked,
        what_we_would_change=what_we_would_change,
    )
    debrief.full_clean()
    for name in DEBRIEF_TEXTS:
        setattr(debrief, f"{name}_html", render_markdown(getattr(debrief, name)))
    debrief.save()
    for text in follow_ups:
        follow_up_add(debrief=debrief, text=text)
    if rulebook_change.strip():
        follow_up_add(debrief=debrief, text=rulebook_change, changes_rulebook=True)
    team_touch(team=team)
    team_event_record(
        team=team,
        kind=EventKind.DEBRIEF,
        summary=f"{author.display_name} wrote a debrief: {debrief.title}",
        path=debrief.get_absolute_url(),
        actor=author,
    )
    return debrief


@transaction.atomic
def follow_up_add(*, debrief: Debrief, text: str, changes_rulebook: bool = False) -> FollowUp:
    follow_up = FollowUp(debrief=debrief, text=text.strip(), changes_rulebook=changes_rulebook)
    follow_up.full_clean()
    follow_up.save()
    return follow_up


@transaction.atomic
def debrief_note_add(*, debrief: Debrief, author: User, body: str) -> DebriefNote:
    """Add a note to a debrief. Not announced to the team: the debrief was; a note is read
    where it was written."""
    note = DebriefNote(debrief=debrief, author=author, body=body)
    note.full_clean()
    note.body_html = render_markdown(note.body)
    note.save()
    return note
