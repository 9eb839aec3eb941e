"""Writes to the rulebook: publishing a version (leads only, checked by the caller) and a
member saying they have read one.

Publishing renders both parts through the one renderer, writes the ladder's steps, marks the
debrief follow-ups this version answers as done by it, counts the publisher as having read it,
tells the team (team_event_record: their page, email, digest) and moves the channel's version
so the openings' cached fragment, which links to the public rules, is drawn afresh.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max

from portal.accounts.models import User
from portal.board.models import Channel
from portal.core.once import insert_once
from portal.markup import render_markdown
from portal.teams.models import (
    EventKind,
    FollowUp,
    LadderAction,
    LadderStep,
    RulebookAcknowledgement,
    RulebookVersion,
    Team,
)
from portal.teams.services.membership import team_event_record, team_touch


@dataclass(frozen=True)
class StepSpec:
    """One step of the ladder as a lead wrote it."""

    action: LadderAction
    earns_it: str
    timeout_seconds: int | None = None


@transaction.atomic
def rulebook_publish(
    *,
    team: Team,
    author: User,
    public_rules: str,
    team_rules: str,
    ladder: Iterable[StepSpec],
    ladder_is_public: bool,
    change_note: str,
    answers: Iterable[FollowUp] = (),
) -> RulebookVersion:
    """Publish the next version of the team's rulebook."""
    # Two leads publishing at once: the team's row is locked, so numbers follow each other.
    Team.objects.select_for_update().filter(pk=team.pk).first()
    latest = team.rulebook_versions.aggregate(n=Max("number"))["n"] or 0
    version = RulebookVersion(
        team=team,
        number=latest + 1,
        public_rules=public_rules,
        team_rules=team_rules,
        ladder_is_public=ladder_is_public,
        change_note=change_note,
        author=author,
    )
    version.full_clean()
    version.public_rules_html = render_markdown(version.public_rules)
    version.team_rules_html = render_markdown(version.team_rules) if team_rules.strip() else ""
    version.save()
    steps = [
        LadderStep(
            version=version,
            position=position,
            action=spec.action,
            earns_it=spec.earns_it,
            timeout_seconds=spec.timeout_seconds if spec.action == LadderAction.TIMEOUT else None,
        )
        for position, spec in enumerate(ladder, start=1)
    ]
    for step in steps:
        step.full_clean(exclude=["version"])
    LadderStep.objects.bulk_create(steps)
    FollowUp.objects.filter(
        pk__in=[f.pk for f in answers],
        debrief__team=team,
        changes_rulebook=True,
        rulebook_version__isnull=True,
    ).update(rulebook_version=version)
    RulebookAcknowledgement.objects.create(version=version, user=author)
    team_touch(team=team)
    Channel.objects.filter(pk=team.channel_id).update(version=F("version") + 1)
    team_event_record(
        team=team,
        kind=EventKind.RULEBOOK,
        summary=f"{author.display_name} published version {version.number} of the rulebook.",
        path=version.changes_url() if version.number > 1 else version.get_absolute_url(),
        actor=author,
    )
    return version


@transaction.atomic
def rulebook_acknowledge(*, version: RulebookVersion, user: User) -> bool:
    """Record that the person read this version; False when they already had (a double
    click makes one row: the unique constraint decides, portal/core/once.py)."""
    return insert_once(RulebookAcknowledgement(version=version, user=user))
