"""The board's part of a digest: new openings that fit, new applications to one's openings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.accounts.models import Language, Role
from portal.board.digest import digest_sections
from portal.board.models import ApplicationStatus, OpeningStatus
from portal.core.schedule import parse_windows
from portal.digests.content import Target
from portal.digests.models import EmailPreferences
from tests.board.conftest import settled
from tests.board.factories import ApplicationFactory, OpeningFactory

pytestmark = pytest.mark.django_db


def target_for(
    user, *, roles=("chat-enforcer",), languages=(), windows="", tz="UTC", **preferences
):
    now = timezone.now()
    return Target(
        user=user,
        preferences=EmailPreferences(user=user, **preferences),
        window_start=now - timedelta(days=7),
        window_end=now,
        timezone=tz,
        role_ids=set(Role.objects.filter(slug__in=roles).values_list("pk", flat=True)),
        language_ids=set(Language.objects.filter(code__in=languages).values_list("pk", flat=True)),
        windows=parse_windows(windows),
    )


def section(result, user, key):
    return next((s for s in result.get(user.pk, []) if s.key == key), None)


def titles(result, user, key="board_openings") -> list[str]:
    found = section(result, user, key)
    return [item.title.split(" · ")[0] for item in found.items] if found else []


def test_new_openings_that_fit_the_persons_roles_languages_and_hours(channel, moderator):
    spanish = Language.objects.get(code="es")
    week = timezone.now() - timedelta(days=1)
    OpeningFactory(channel=channel, title="Fits", published_at=week)
    OpeningFactory(channel=channel, title="Old", published_at=week - timedelta(days=30))
    OpeningFactory(
        channel=channel,
        title="Other role",
        published_at=week,
        roles=[Role.objects.get(slug="community-host")],
    )
    OpeningFactory(channel=channel, title="Spanish only", published_at=week, languages=[spanish])
    OpeningFactory(
        channel=channel,
        title="Tuesday mornings",
        published_at=week,
        schedule=[w.as_json() for w in parse_windows("Tue 08:00-10:00")],
    )
    OpeningFactory(channel=channel, title="Paused", published_at=week, status=OpeningStatus.PAUSED)
    result = digest_sections([target_for(moderator, languages=["en"], windows="Fri 18:00-22:00")])
    assert titles(result, moderator) == ["Fits"]


def test_no_openings_section_for_someone_who_turned_it_off_or_owns_them(streamer, channel):
    OpeningFactory(channel=channel, published_at=timezone.now() - timedelta(hours=1))
    assert titles(digest_sections([target_for(streamer)]), streamer) == []
    someone = settled(username="someone")
    assert digest_sections([target_for(someone, digest_openings=False)]) == {}


def test_new_applications_to_the_owners_openings(streamer, opening, moderator):
    ApplicationFactory(opening=opening, applicant=moderator)
    ApplicationFactory(opening=opening, status=ApplicationStatus.WITHDRAWN)
    ApplicationFactory()  # to someone else's opening
    result = digest_sections([target_for(streamer), target_for(moderator)])
    found = section(result, streamer, "board_applications")
    assert [item.title for item in found.items] == [
        "moderator applied to “Night-shift chat enforcer”"
    ]
    assert found.items[0].url.endswith(f"/board/openings/{opening.pk}/applications/")
    assert section(result, moderator, "board_applications") is None


def test_a_chunk_costs_a_fixed_number_of_queries(
    streamer, channel, moderator, other_moderator, assert_queries
):
    for i in range(5):
        opening = OpeningFactory(channel=channel, published_at=timezone.now() - timedelta(hours=i))
        ApplicationFactory(opening=opening)
    targets = [target_for(streamer), target_for(moderator), target_for(other_moderator)]
    # Openings, their roles, languages and slots; the applications.
    with assert_queries(5):
        digest_sections(targets)
