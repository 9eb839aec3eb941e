"""Test data for digests: people who are due, and guide lessons that changed."""

from __future__ import annotations

from datetime import date, datetime, time

from portal.accounts.models import AvailabilitySlot, Role, User
from portal.core.schedule import Window
from portal.digests.models import DigestFrequency, EmailPreferences
from portal.digests.services import preferences_schedule
from portal.guides.models import Lesson, Track
from tests.factories import UserFactory


def person(
    *,
    timezone: str = "UTC",
    frequency: str = DigestFrequency.DAILY,
    hour: int = 8,
    weekday: int = 0,
    role_slugs: tuple[str, ...] = ("chat-enforcer",),
    now: datetime,
    joined: datetime | None = None,
) -> User:
    user = UserFactory(date_joined=joined or datetime(2026, 1, 1, tzinfo=now.tzinfo))
    user.profile.timezone = timezone
    user.profile.save()
    # Everyone is around on two evenings: digests read availability for the openings section.
    evenings = [Window(0, time(18), time(20)), Window(1, time(18), time(20))]
    user.profile.availability = [w.as_json() for w in evenings]
    user.profile.save()
    AvailabilitySlot.objects.bulk_create(
        AvailabilitySlot.written(w, timezone, profile=user.profile) for w in evenings
    )
    user.profile.roles.set(Role.objects.filter(slug__in=role_slugs))
    preferences = EmailPreferences(
        user=user, digest_frequency=frequency, digest_hour=hour, digest_weekday=weekday
    )
    preferences_schedule(preferences=preferences, timezone_name=timezone, now=now)
    preferences.save()
    return user


def changed_lesson(*, role_slug: str | None, changed_at: datetime, n: int = 0) -> Lesson:
    track, _ = Track.objects.get_or_create(
        slug=role_slug or "start-here",
        defaults={
            "title": (role_slug or "start here").replace("-", " ").title(),
            "role": Role.objects.filter(slug=role_slug).first(),
            "summary": "A track.",
            "audience": "Everyone.",
            "content_hash": "x",
        },
    )
    return Lesson.objects.create(
        uid=f"{track.slug}-lesson-{n}",
        track=track,
        slug=f"lesson-{n}",
        position=n,
        source_path=f"{track.slug}/{n:02d}-lesson-{n}.md",
        title=f"Lesson {n} of {track.title}",
        summary="What this lesson teaches.",
        minutes=4,
        last_reviewed=date(2026, 11, 1),
        review_every_days=180,
        review_due=date(2027, 5, 1),
        body_html="<p>text</p>",
        body_text="text",
        content_hash=f"h{n}",
        content_changed_at=changed_at,
    )
