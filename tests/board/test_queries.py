"""Every board page costs the same number of SQL queries whatever the data size.

Each test builds a small and a large world (the large one with bulk_create, so the tests stay
fast) and asserts one fixed count for both: a count that grew with the data would be an N+1
(a query per opening, per application or per person on the page).
"""

from __future__ import annotations

import os
from datetime import time, timedelta
from itertools import cycle

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import AvailabilitySlot, Language, Profile, Role, User
from portal.board.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Opening,
    OpeningReport,
    OpeningSlot,
    OpeningStatus,
    Question,
)
from portal.board.services import closing_instant
from portal.core.schedule import Window
from portal.guides.models import Badge, Track
from portal.markup import render_markdown
from portal.twitch.models import ModerationHistory
from tests.board.conftest import set_availability, settled
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 60


def bulk_people(n: int, prefix: str) -> list[User]:
    """People with profiles (bulk_create skips User.save, which makes the profile)."""
    joined = timezone.now() - timedelta(days=30)
    users = User.objects.bulk_create(
        User(username=f"{prefix}{i}", email=f"{prefix}{i}@example.com", date_joined=joined)
        for i in range(n)
    )
    profiles = Profile.objects.bulk_create(
        Profile(
            user=u,
            display_name=f"Person {i}",
            open_to_moderating=True,
            timezone="Europe/Berlin",
            availability=[[4, "18:00", "23:00"]],
        )
        for i, u in enumerate(users)
    )
    roles = list(Role.objects.all())
    languages = list(Language.objects.filter(code__in=["en", "es"]))
    Profile.roles.through.objects.bulk_create(
        Profile.roles.through(profile_id=p.pk, role_id=r.pk) for p in profiles for r in roles[:3]
    )
    Profile.languages.through.objects.bulk_create(
        Profile.languages.through(profile_id=p.pk, language_id=lang.pk)
        for p in profiles
        for lang in languages[:2]
    )
    AvailabilitySlot.objects.bulk_create(
        AvailabilitySlot.written(Window(4, time(18), time(23)), "Europe/Berlin", profile=p)
        for p in profiles
    )
    # Half of them verified their moderation history: the directory and the review table
    # show it from the person's own row.
    ModerationHistory.objects.bulk_create(
        ModerationHistory(user=u, status="checked", checked_at=joined, channel_count=i + 1)
        for i, u in enumerate(users)
        if i % 2 == 0
    )
    tracks = list(Track.objects.all()[:2]) or [
        Track.objects.get_or_create(
            slug="chat-enforcer",
            defaults={"title": "Chat Enforcer", "summary": "s", "audience": "a"},
        )[0]
    ]
    Badge.objects.bulk_create(
        Badge(user=u, track=t, code=f"{u.pk}-{t.pk}") for u in users for t in tracks
    )
    return users


def bulk_openings(channels, n: int, *, status=OpeningStatus.OPEN) -> list[Opening]:
    now = timezone.now()
    closes_on = timezone.localdate() + timedelta(days=20)
    html = render_markdown("Keep chat **kind**.")
    channel_cycle = cycle(channels)
    openings = Opening.objects.bulk_create(
        Opening(
            channel=next(channel_cycle),
            title=f"Opening {i}",
            description="Keep chat **kind**.",
            description_html=html,
            schedule=[[4, "18:00", "22:00"]],
            hours_per_week=5,
            status=status,
            closes_on=closes_on,
            expires_at=closing_instant(closes_on, "UTC"),
            published_at=now - timedelta(minutes=i),
        )
        for i in range(n)
    )
    roles = list(Role.objects.all())
    languages = list(Language.objects.filter(code__in=["en", "es", "de", "fr"]))
    Opening.roles.through.objects.bulk_create(
        Opening.roles.through(opening_id=o.pk, role_id=r.pk) for o in openings for r in roles[:3]
    )
    Opening.languages.through.objects.bulk_create(
        Opening.languages.through(opening_id=o.pk, language_id=lang.pk)
        for o in openings
        for lang in languages
    )
    OpeningSlot.objects.bulk_create(
        OpeningSlot.written(Window(4, time(18), time(22)), "UTC", opening=o) for o in openings
    )
    Question.objects.bulk_create(
        Question(opening=o, order=i, prompt=f"Question {i}") for o in openings for i in range(3)
    )
    return openings


def bulk_applications(openings, applicants) -> list[Application]:
    html = render_markdown("Hello!")
    applications = Application.objects.bulk_create(
        Application(
            opening=opening,
            applicant=applicant,
            message="Hello!",
            message_html=html,
            answers=[{"question": 1, "prompt": "Why?", "answer": "Because."}],
            status=ApplicationStatus.SHORTLISTED,
        )
        for opening in openings
        for applicant in applicants
    )
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(application=a, actor_id=a.applicant_id, to_status=status)
        for a in applications
        for status in ("submitted", "shortlisted")
    )
    return applications


class World:
    """Board data that grows: ``grow(n)`` adds n openings on the streamer's channel and on
    other channels (plus drafts), n applicants to the first opening, an application from the
    moderator to each new opening, and reports."""

    def __init__(self, streamer, channel, moderator):
        self.streamer, self.channel, self.moderator = streamer, channel, moderator
        self.others = [ChannelFactory() for _ in range(3)]
        self.opening: Opening | None = None
        self.application: Application | None = None
        self.people = 0
        set_availability(moderator, "Fri 19:00-21:00")
        set_availability(streamer, "Fri 19:00-21:00")

    def grow(self, n: int) -> World:
        mine = bulk_openings([self.channel], n)
        bulk_openings(self.others, n)
        bulk_openings(self.others, n, status=OpeningStatus.DRAFT)
        people = bulk_people(n, f"applicant{self.people}_")
        self.people += n
        self.opening = self.opening or mine[0]
        bulk_applications([self.opening], people)
        bulk_applications(mine, [self.moderator])
        self.application = self.application or Application.objects.get(
            opening=self.opening, applicant=self.moderator
        )
        OpeningReport.objects.bulk_create(
            OpeningReport(opening=o, reporter=p, reason="scam", details="Looks off")
            for o in mine
            for p in people[:2]
        )
        return self


@pytest.fixture
def world(streamer, channel, moderator) -> World:
    return World(streamer, channel, moderator).grow(SMALL)


def queries_of(get) -> int:
    with CaptureQueriesContext(connection) as context:
        response = get()
    assert response.status_code == 200
    return len(context.captured_queries)


def assert_fixed(world: World, assert_queries, get) -> int:
    """Measure a page on small data, grow the data twenty-fold, and require the same count
    (assert_queries lists every statement when it differs). Returns the count."""
    get()  # warm per-process caches (the current Site, ContentTypes)
    small = queries_of(get)
    world.grow(LARGE - SMALL)
    with assert_queries(small):
        response = get()
    assert response.status_code == 200
    if os.environ.get("SHOW_QUERY_COUNTS"):
        print(f"\n{small:3d} queries, small and large: {response.wsgi_request.get_full_path()}")
    return small


def test_the_board_costs_the_same_queries_at_any_size(client, world, assert_queries):
    """Prevents an N+1 on the board: one count (bounded, see BoardPaginator), one page, then
    the page's roles and languages in one statement (their names from the cached lists, read
    by the first get). A visitor gets no "overlaps" marks, so no schedules are read (the
    shared part read them for everyone: 4 queries before)."""
    url = reverse("board:index")
    filters = {"q": "Opening", "role": "chat-enforcer", "language": "en", "sort": "closing"}
    assert assert_fixed(world, assert_queries, lambda: client.get(url)) == 3
    assert assert_fixed(world, assert_queries, lambda: client.get(url, filters)) == 3


def test_the_board_for_a_signed_in_moderator_costs_one_query_more(client, world, assert_queries):
    """The person; their hours (for the filter and its help), then as for a visitor, each
    card's "overlaps" mark asked with the page (5 queries before, with the schedules read
    apart and the person from a cache)."""
    client.force_login(world.moderator)
    url = reverse("board:index")
    filtered = {"role": "chat-enforcer", "sort": "closing"}
    assert assert_fixed(world, assert_queries, lambda: client.get(url)) == 5
    assert assert_fixed(world, assert_queries, lambda: client.get(url, filtered)) == 5
    assert assert_fixed(world, assert_queries, lambda: client.get(url, {"fits": "on"})) == 5
    cards = client.get(url, {"fits": "on"}).context["page"].object_list
    assert len(cards) == 20 and all(card.fits_my_hours for card in cards)


def test_feeds_cost_the_same_queries_at_any_size(client, world, assert_queries):
    params = {"role": "chat-enforcer", "language": "en"}
    for name in ["board:feed_rss", "board:feed_atom"]:
        url = reverse(name)
        # The openings, then their roles.
        assert assert_fixed(world, assert_queries, lambda u=url: client.get(u, params)) == 2


def test_an_opening_page_costs_the_same_queries_at_any_size(client, world, assert_queries):
    url = world.opening.get_absolute_url()
    # The opening with its channel and owner, if the reader may see it (with their own facts
    # about it, when signed in, in the same statement); its questions; its roles and
    # languages in one statement (names from the cached lists). The permission check was a
    # query of its own before (4).
    assert assert_fixed(world, assert_queries, lambda: client.get(url)) == 3
    # Signed in, the person (1), then: the moderator applied: their application, for their
    # apply box.
    client.force_login(world.moderator)
    assert assert_fixed(world, assert_queries, lambda: client.get(url)) == 5
    # The owner: the counts of their applications.
    client.force_login(world.streamer)
    assert assert_fixed(world, assert_queries, lambda: client.get(url)) == 5


def test_the_review_page_costs_the_same_queries_at_any_size(client, world, assert_queries):
    """Prevents an N+1 per applicant: the table's rows with their profiles (availability
    for the overlap), and every applicant's guide badges, are read for the page at once,
    in every status tab."""
    client.force_login(world.streamer)
    url = reverse("board:review", kwargs={"pk": world.opening.pk})
    world.opening.schedule = [[4, "19:00", "21:00"]]
    world.opening.save(update_fields=["schedule"])
    count = assert_fixed(world, assert_queries, lambda: client.get(url))
    tab = {"status": "shortlisted"}
    assert assert_fixed(world, assert_queries, lambda: client.get(url, tab)) == count
    response = client.get(url)
    assert len(response.context["rows"]) == 20
    assert response.context["rows"][0].badges
    assert "Verified moderator of" in response.content.decode()


def test_my_applications_costs_the_same_queries_at_any_size(client, world, assert_queries):
    client.force_login(world.moderator)
    url = reverse("board:my_applications")
    assert_fixed(world, assert_queries, lambda: client.get(url))


def test_an_application_page_costs_the_same_queries_at_any_size(client, world, assert_queries):
    url = world.application.get_absolute_url()
    client.force_login(world.moderator)
    assert_fixed(world, assert_queries, lambda: client.get(url))
    client.force_login(world.streamer)
    assert_fixed(world, assert_queries, lambda: client.get(url))


def test_my_openings_costs_the_same_queries_at_any_size(client, world, assert_queries):
    client.force_login(world.streamer)
    url = reverse("board:my_openings")
    assert_fixed(world, assert_queries, lambda: client.get(url))


def test_find_moderators_costs_the_same_queries_at_any_size(client, world, assert_queries):
    url = reverse("board:moderators")
    assert_fixed(world, assert_queries, lambda: client.get(url, {"role": "chat-enforcer"}))
    assert "Verified moderator of" in client.get(url).content.decode()
    client.force_login(world.streamer)
    assert_fixed(world, assert_queries, lambda: client.get(url, {"around": "me"}))
    around_opening = {"around": str(world.opening.pk)}
    assert_fixed(world, assert_queries, lambda: client.get(url, around_opening))


def test_the_report_queue_costs_the_same_queries_at_any_size(client, world, assert_queries):
    client.force_login(settled(username="staffer", is_staff=True))
    url = reverse("board:reports")
    assert_fixed(world, assert_queries, lambda: client.get(url))


def test_channel_and_profile_pages_cost_the_same_queries_at_any_size(client, world, assert_queries):
    channel_url = world.channel.get_absolute_url()
    assert_fixed(world, assert_queries, lambda: client.get(channel_url))
    profile_url = reverse("accounts:profile", kwargs={"username": world.streamer.username})
    assert_fixed(world, assert_queries, lambda: client.get(profile_url))
