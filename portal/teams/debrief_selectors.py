"""Reads of debriefs, each a fixed number of queries whatever the number of debriefs, notes
or follow-ups."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from portal.teams.models import Debrief, DebriefNote, FollowUp, Team


def debrief_list(*, team: Team) -> list[Debrief]:
    """The team's debriefs, newest incident first, with their author, how many notes they
    have and how many rulebook changes they still wait for: one query."""
    debriefs = list(
        Debrief.objects.filter(team=team)
        .select_related("author", "author__profile")
        .annotate(
            note_count=Count("notes", distinct=True),
            rulebook_waiting=Count(
                "follow_ups",
                filter=Q(
                    follow_ups__changes_rulebook=True,
                    follow_ups__rulebook_version__isnull=True,
                ),
                distinct=True,
            ),
        )
    )
    for debrief in debriefs:
        debrief.team = team
    return debriefs


def debrief_page(*, team: Team, debrief_id: int) -> Debrief:
    """One debrief with its author, follow-ups (with the versions that answered them) and
    notes (with their authors): three queries. 404 unless it is this team's."""
    debrief = (
        Debrief.objects.filter(team=team, pk=debrief_id)
        .select_related("author", "author__profile")
        .prefetch_related(
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("rulebook_version")),
            Prefetch(
                "notes",
                queryset=DebriefNote.objects.select_related("author", "author__profile"),
            ),
        )
        .first()
    )
    if debrief is None:
        raise Http404("No such debrief.")
    debrief.team = team
    for follow_up in debrief.follow_ups.all():
        if follow_up.rulebook_version is not None:
            follow_up.rulebook_version.team = team
    return debrief
