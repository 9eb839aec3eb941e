"""Find moderators: the directory of people open to moderating, filtered by role, language,
guide badge and when they are around, and the guide badges every applicant card shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from portal.accounts.models import AvailabilitySlot, Profile, User
from portal.board.models import Opening, OpeningSlot
from portal.board.selectors.search import PERSON_FIELDS
from portal.core.search import parse_query, words_filter


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


def _reader_slots_overlap(profile_id: int) -> Exists:
    """True for an OpeningSlot row that overlaps any of the reader's availability slots."""
    return Exists(
        AvailabilitySlot.objects.filter(
            profile_id=profile_id, start__lt=OuterRef("end"), end__gt=OuterRef("start")
        )
    )


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""  # words in the name or bio
    role: str = ""
    language: str = ""
    badge: str = ""
    # "" (any time), "me" (the reader's own availability) or an opening's pk as text.
    around: str = ""


def moderator_directory(
    *, filters: DirectoryFilters, reader: User, reader_openings: list[Opening]
) -> QuerySet[Profile]:
    """Public profiles of people open to moderating, filtered as asked."""
    profiles = (
        Profile.objects.open_to_moderating()
        .select_related("user")
        .prefetch_related("roles", "languages")
    )
    if filters.q:
        everywhere, _ = words_filter(parse_query(filters.q), PERSON_FIELDS)
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
        if filters.around == "me":
            inner = _reader_slots_overlap(reader.profile.pk)
        else:
            opening = next((o for o in reader_openings if str(o.pk) == filters.around), None)
            if opening is None:
                raise Http404("No such opening.")
            inner = Exists(
                OpeningSlot.objects.filter(
                    opening=opening, start__lt=OuterRef("end"), end__gt=OuterRef("start")
                )
            )
        profiles = profiles.filter(
            Exists(AvailabilitySlot.objects.filter(profile=OuterRef("pk")).filter(inner))
        )
    return profiles.order_by("-updated_at", "-pk")
