"""The board's part of a digest (see portal/digests/content.py): new openings that fit the
person, and new applications to the person's own openings.

A fixed number of queries for a whole chunk of people: the openings published within the
widest window in the chunk (visible ones only, with their roles, languages and slots), and
the applications sent within it to openings of anyone in the chunk. Each person's part is
then picked in Python.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch
from django.urls import reverse

from portal.board.models import Application, Opening, OpeningSlot
from portal.core.weeks import week_of, windows_meet
from portal.digests.content import DigestItem, DigestSection, Target
from portal.digests.mail import absolute_url

MAX_ITEMS = 5
# Openings considered per digest run: the newest this many published in the window. A
# bounded read keeps a chunk cheap even after a burst of postings.
MAX_CANDIDATES = 500


def _fits(opening: Opening, target: Target, owner_of: dict[int, int]) -> bool:
    if owner_of[opening.channel_id] == target.user_id:
        return False
    if not target.window_start < opening.published_at <= target.window_end:
        return False
    roles = {role.pk for role in opening.roles.all()}
    if not target.role_ids or not roles & target.role_ids:
        return False
    languages = {language.pk for language in opening.languages.all()}
    if languages and target.language_ids and not languages & target.language_ids:
        return False
    # Its hours and the person's as written, placed in the week the digest goes out in, so a
    # clock change on either side (on different Sundays in Europe and North America) moves
    # them as it moves the people.
    windows = [slot.window for slot in opening.slots.all()]
    return not (windows and target.windows) or windows_meet(
        windows, opening.timezone, target.windows, target.timezone, week_of(target.window_end)
    )


def _opening_sections(targets: list[Target]) -> dict[int, list[DigestSection]]:
    wanted = [t for t in targets if t.preferences.digest_openings and t.role_ids]
    if not wanted:
        return {}
    since = min(t.window_start for t in wanted)
    until = max(t.window_end for t in wanted)
    openings = list(
        Opening.objects.visible()
        .filter(published_at__gt=since, published_at__lte=until)
        .select_related("channel")
        .prefetch_related(
            "roles",
            "languages",
            Prefetch(
                "slots", queryset=OpeningSlot.objects.only("opening_id", "weekday", "start", "end")
            ),
        )
        .newest()[:MAX_CANDIDATES]
    )
    owner_of = {o.channel_id: o.channel.owner_id for o in openings}
    result: dict[int, list[DigestSection]] = {}
    for target in wanted:
        items = [
            DigestItem(
                title=f"{opening.title} · {opening.channel.name}",
                url=absolute_url(opening.get_absolute_url()),
                note=f"{opening.hours_per_week} h a week · {opening.get_compensation_display()}",
            )
            for opening in openings
            if _fits(opening, target, owner_of)
        ][:MAX_ITEMS]
        result[target.user_id] = [
            DigestSection(key="board_openings", title="New openings that fit you", items=items)
        ]
    return result


def _application_sections(targets: list[Target]) -> dict[int, list[DigestSection]]:
    wanted = {t.user_id: t for t in targets if t.preferences.digest_applications}
    if not wanted:
        return {}
    since = min(t.window_start for t in wanted.values())
    until = max(t.window_end for t in wanted.values())
    applications = (
        Application.objects.filter(
            opening__channel__owner_id__in=list(wanted),
            created_at__gt=since,
            created_at__lte=until,
        )
        .exclude(status="withdrawn")
        .select_related("opening__channel", "applicant__profile")
        .order_by("-created_at")
    )
    by_owner: dict[int, list[Application]] = defaultdict(list)
    for application in applications:
        target = wanted[application.opening.channel.owner_id]
        if target.window_start < application.created_at <= target.window_end:
            by_owner[target.user_id].append(application)
    return {
        owner_id: [
            DigestSection(
                key="board_applications",
                title="New applications to your openings",
                items=[
                    DigestItem(
                        title=f"{a.applicant.display_name} applied to “{a.opening.title}”",
                        url=absolute_url(reverse("board:review", kwargs={"pk": a.opening_id})),
                    )
                    for a in found[:MAX_ITEMS]
                ],
            )
        ]
        for owner_id, found in by_owner.items()
    }


def digest_sections(targets: list[Target]) -> dict[int, list[DigestSection]]:
    result: dict[int, list[DigestSection]] = defaultdict(list)
    for part in (_opening_sections(targets), _application_sections(targets)):
        for user_id, sections in part.items():
            result[user_id].extend(sections)
    return dict(result)
