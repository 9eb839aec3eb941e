"""Find moderators: the directory of people open to moderating, filtered by role, language,
guide badge and when they are around, and the guide badges every applicant card shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from portal.accounts.models import AvailabilitySlot, Profile, User
from portal.board.models import Opening
from portal.board.selectors.search import PERSON_SEARCH
from portal.core.search import parse_query, words_filter
from portal.core.weeks import Interval, around, overlapping_sql, week_of


def _badge_model():
    """The guides app's Badge, or None while that app has no badges (this page then simply
    shows none rather than failing)."""
    try:
        return apps.get_model("guides", "Badge")
    except LookupError:
        return None


def badges_available() -> bool:
    return _badge_model() is not None


def guide_badges_for(user_ids: list[int]) -> dict[int, list]:
    """Every guide badge of these people, in one query: {user id: [badge, …]}."""
    badge_model = _badge_model()
    if badge_model is None or not user_ids:
        return {}
    badges: dict[int, list] = {}
    for badge in badge_model.objects.filter(user_id__in=user_ids).select_related("track"):
        badges.setdefault(badge.user_id, []).append(badge)
    return badges


def badge_tracks() -> list:
    """The tracks one can filter moderators by (those whose completion earns a badge)."""
    if not badges_available():
        return []
    track_model = apps.get_model("guides", "Track")
    return list(track_model.objects.filter(is_retired=False).order_by("order", "title"))


def _around_at(intervals: list[Interval], week: date) -> RawSQL:
    """Ids of profiles with an availability slot that, placed in the week, overlaps any of
    these intervals (one portable statement, see portal/core/weeks.py)."""
    sql, params = overlapping_sql(
        table=AvailabilitySlot._meta.db_table,
        key=AvailabilitySlot._meta.get_field("profile").column,
        tz=AvailabilitySlot._meta.get_field("timezone").column,
        quote=connection.ops.quote_name,
        intervals=intervals,
        week=week,
    )
    return RawSQL(sql, params)  # noqa: S611 (names from the models and the zone database)


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""  # words in the name or bio
    role: str = ""
    language: str = ""
    badge: str = ""
    # "" (any time), "me" (the reader's own availability) or an opening's pk as text.
    around: str = ""


def moderator_directory(
    *,
    filters: DirectoryFilters,
    reader: User,
    reader_openings: list[Opening],
    now: datetime | None = None,
) -> QuerySet[Profile]:
    """Public profiles of people open to moderating, filtered as asked. "Around when" is
    worked out for the week of ``now``: each person's windows placed in it, with the
    reader's (or their opening's) windows around it."""
    profiles = (
        Profile.objects.open_to_moderating()
        # The verified moderation history in the same statement: no query per card.
        .select_related("user", "user__moderation_history")
        .prefetch_related("roles", "languages")
    )
    if filters.q:
        everywhere, _ = words_filter(parse_query(filters.q), **PERSON_SEARCH)
        profiles = profiles.filter(everywhere)
    if filters.role:
        profiles = profiles.filter(roles__slug=filters.role)
    if filters.language:
        profiles = profiles.filter(languages__code=filters.language)
    if filters.badge and badges_available():
        badge_model = _badge_model()
        profiles = profiles.filter(
            Exists(
                badge_model.objects.filter(user_id=OuterRef("user_id"), track__slug=filters.badge)
            )
        )
    if filters.around and reader.is_authenticated:
        week = week_of(now)
        if filters.around == "me":
            profile = reader.profile
            intervals = around(profile.windows, profile.timezone, week)
        else:
            opening = next((o for o in reader_openings if str(o.pk) == filters.around), None)
            if opening is None:
                raise Http404("No such opening.")
            intervals = around(opening.windows, opening.timezone, week)
        if not intervals:
            return profiles.none()
        profiles = profiles.filter(pk__in=_around_at(intervals, week))
    return profiles.order_by("-updated_at", "-pk")
