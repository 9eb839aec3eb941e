"""Reads of the rulebook, each a fixed number of queries whatever the number of versions,
steps, members or readers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.http import Http404

from portal.accounts.models import User
from portal.board.models import Channel
from portal.teams.models import (
    FollowUp,
    LadderStep,
    Membership,
    RulebookAcknowledgement,
    RulebookVersion,
    Team,
)


def _with_steps(versions):
    return versions.with_author().prefetch_related(
        Prefetch("steps", queryset=LadderStep.objects.order_by("position"))
    )


def latest_version(*, team: Team) -> RulebookVersion | None:
    """The rulebook in force, with its author and steps: two queries (one when none)."""
    version = _with_steps(team.rulebook_versions.all()).order_by("-number").first()
    if version is not None:
        version.team = team
    return version


def version_numbered(*, team: Team, number: int) -> RulebookVersion:
    """One version with its author and steps (two queries); 404 when the team has none such."""
    version = _with_steps(team.rulebook_versions.filter(number=number)).first()
    if version is None:
        raise Http404("No such version of the rulebook.")
    version.team = team
    return version


def version_before(*, version: RulebookVersion) -> RulebookVersion | None:
    """The version published just before this one (two queries; None for the first)."""
    earlier = (
        _with_steps(RulebookVersion.objects.filter(team_id=version.team_id))
        .filter(number__lt=version.number)
        .order_by("-number")
        .first()
    )
    if earlier is not None:
        earlier.team = version.team
    return earlier


def version_history(*, team: Team) -> list[RulebookVersion]:
    """Every version, newest first, with its author and how many read it: one query."""
    versions = list(
        team.rulebook_versions.with_author()
        .annotate(readers=Count("acknowledgements", distinct=True))
        .order_by("-number")
    )
    for version in versions:
        version.team = team
    return versions


@dataclass
class Readers:
    """Who on the team has read a version, and who has not yet (current members only)."""

    read: list[Membership]
    not_yet: list[Membership]

    @property
    def total(self) -> int:
        return len(self.read) + len(self.not_yet)


def readers_of(*, version: RulebookVersion, team: Team) -> Readers:
    """Two queries: the current members with their profiles, and who read this version."""
    members = list(Membership.objects.current().filter(team=team).for_roster())
    done = set(
        RulebookAcknowledgement.objects.filter(version=version).values_list("user_id", flat=True)
    )
    return Readers(
        read=[m for m in members if m.user_id in done],
        not_yet=[m for m in members if m.user_id not in done],
    )


def has_read(*, version: RulebookVersion, user: User) -> bool:
    return RulebookAcknowledgement.objects.filter(version=version, user=user).exists()


def public_rules_of(*, channel: Channel) -> RulebookVersion | None:
    """What chat may read: the latest version of the channel's rulebook (its public rules,
    and the ladder when the team shows it). Two queries; one when there is none."""
    version = (
        RulebookVersion.objects.filter(team__channel=channel)
        .prefetch_related(Prefetch("steps", queryset=LadderStep.objects.order_by("position")))
        .only("pk", "number", "public_rules_html", "ladder_is_public", "published_at", "team_id")
        .order_by("-number")
        .first()
    )
    return version


def has_public_rules(*, channel: Channel) -> bool:
    return RulebookVersion.objects.filter(team__channel=channel).exists()


def open_rulebook_follow_ups(*, team: Team) -> list[FollowUp]:
    """The debriefs' "change the rulebook" follow-ups no version has made yet: one query."""
    return list(
        FollowUp.objects.filter(
            debrief__team=team, changes_rulebook=True, rulebook_version__isnull=True
        )
        .select_related("debrief")
        .order_by("debrief__happened_on", "pk")
    )
