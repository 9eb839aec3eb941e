"""The digest's "your team" section: what happened in the person's mod teams since their
last digest, read for a whole chunk of people in two queries."""

from __future__ import annotations

from collections import defaultdict

from portal.digests.content import DigestItem, DigestSection, Target
from portal.digests.mail import absolute_url
from portal.teams.models import LEADING, Membership, TeamEvent

MAX_ITEMS = 10


def digest_sections(targets: list[Target]) -> dict[int, list[DigestSection]]:
    wanted = {t.user_id: t for t in targets if t.preferences.digest_team}
    if not wanted:
        return {}
    memberships = Membership.objects.current().filter(user_id__in=list(wanted))
    teams_of: dict[int, dict[int, bool]] = defaultdict(dict)  # user → team → leads
    for user_id, team_id, level in memberships.values_list("user_id", "team_id", "level"):
        teams_of[user_id][team_id] = level in LEADING
    if not teams_of:
        return {}
    since = min(wanted[u].window_start for u in teams_of)
    until = max(wanted[u].window_end for u in teams_of)
    events = (
        TeamEvent.objects.filter(
            team_id__in={t for teams in teams_of.values() for t in teams},
            created_at__gt=since,
            created_at__lte=until,
        )
        .select_related("team__channel")
        .order_by("-created_at", "-pk")
    )
    found: dict[int, list[DigestItem]] = defaultdict(list)
    for event in events:
        for user_id, teams in teams_of.items():
            target = wanted[user_id]
            if event.team_id not in teams or event.actor_id == user_id:
                continue
            if event.leads_only and not teams[event.team_id]:
                continue
            if not target.window_start < event.created_at <= target.window_end:
                continue
            found[user_id].append(
                DigestItem(
                    title=event.summary,
                    url=absolute_url(event.get_absolute_url()),
                    note=event.team.channel.name,
                )
            )
    return {
        user_id: [DigestSection(key="teams", title="Your mod teams", items=items[:MAX_ITEMS])]
        for user_id, items in found.items()
    }
