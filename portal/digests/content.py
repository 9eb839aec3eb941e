"""What goes into a digest: sections built for a whole chunk of people at once.

Each app that contributes to digests has ``portal/<app>/digest.py`` with
``digest_sections(targets) -> dict[user_id, list[DigestSection]]``. A builder reads the
shared data (topics, openings, lessons) once for the whole chunk and then picks each
person's part in Python, so building a chunk costs a fixed number of queries whatever its
size. Everything a person may no longer see (removed, held, expired, private) is filtered
here, at send time, through the apps' own visibility querysets.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch

from portal.accounts.models import AvailabilitySlot, User
from portal.core.schedule import Window
from portal.digests.models import Digest, EmailPreferences
from portal.digests.schedule import window_start

CONTRIBUTING_APPS = [
    "mentors",
    "teams",
    "forums",
    "board",
    "guides",
]  # the order sections appear in


@dataclass(frozen=True)
class DigestItem:
    title: str
    url: str  # absolute, for email
    note: str = ""  # e.g. "12 new posts"
    excerpt: str = ""


@dataclass
class DigestSection:
    key: str
    title: str
    items: list[DigestItem]


@dataclass
class Target:
    """One person in a chunk, with what every builder needs to know about them."""

    user: User
    preferences: EmailPreferences
    window_start: datetime
    window_end: datetime
    timezone: str
    role_ids: set[int] = field(default_factory=set)
    language_ids: set[int] = field(default_factory=set)
    # Their availability as written, in ``timezone`` (placed in the digest's week by
    # whoever compares it, portal/core/weeks.py).
    windows: list[Window] = field(default_factory=list)

    @property
    def user_id(self) -> int:
        return self.user.pk


def targets_load(*, user_ids: list[int], window_end: dict[int, datetime]) -> list[Target]:
    """Load a chunk of people with their preferences, roles, languages, availability and
    last digest, in a fixed number of queries."""
    users = (
        User.objects.filter(pk__in=user_ids, is_active=True)
        .select_related("profile", "email_preferences")
        .prefetch_related(
            "profile__roles",
            "profile__languages",
            Prefetch(
                "profile__slots",
                queryset=AvailabilitySlot.objects.only("profile_id", "weekday", "start", "end"),
            ),
        )
        .order_by("pk")
    )
    last_ends: dict[int, datetime] = {}
    for user_id, end in (
        Digest.objects.filter(
            user_id__in=user_ids, status__in=[Digest.Status.SENT, Digest.Status.SKIPPED]
        )
        .order_by("user_id", "-window_end")
        .values_list("user_id", "window_end")
    ):
        last_ends.setdefault(user_id, end)
    targets = []
    for user in users:
        preferences = getattr(user, "email_preferences", None)
        if preferences is None:
            continue
        end = window_end[user.pk]
        profile = user.profile
        targets.append(
            Target(
                user=user,
                preferences=preferences,
                window_start=window_start(
                    last_window_end=last_ends.get(user.pk),
                    joined_at=user.date_joined,
                    window_end=end,
                ),
                window_end=end,
                timezone=profile.timezone,
                role_ids={role.pk for role in profile.roles.all()},
                language_ids={language.pk for language in profile.languages.all()},
                windows=[slot.window for slot in profile.slots.all()],
            )
        )
    return targets


def sections_build(targets: list[Target]) -> dict[int, list[DigestSection]]:
    """Every contributing app's sections for each person in the chunk."""
    result: dict[int, list[DigestSection]] = {t.user_id: [] for t in targets}
    if not targets:
        return result
    for app in CONTRIBUTING_APPS:
        try:
            module = importlib.import_module(f"portal.{app}.digest")
        except ModuleNotFoundError as exc:
            if exc.name != f"portal.{app}.digest":
                raise
            continue
        for user_id, sections in module.digest_sections(targets).items():
            result[user_id].extend(s for s in sections if s.items)
    return result
