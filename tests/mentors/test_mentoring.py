"""Mentoring from both sides: offering to mentor, the suggestions a new moderator sees
(ranked by role, language and overlap of time, shown in their own time whatever the clocks
do), asking, the answer, goals with guide progress, check-ins and their reminders, the end
with reflections, and the recognition a mentor earns."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from portal.accounts.models import Block
from portal.core.schedule import DAY_NAMES
from portal.digests.mail import preferences_for
from portal.forums.models import Notification
from portal.mentors import selectors
from portal.mentors.models import Mentor, Mentorship, Status
from portal.mentors.services import checkin_reminders_send, checkin_schedule_set
from portal.mentors.tasks import remind_due_checkins
from tests.factories import UserFactory
from tests.mentors.factories import asked, make_mentor, person, under_way

pytestmark = pytest.mark.django_db


# --- Offering to mentor ---------------------------------------------------------------------


def offer_form(**overrides) -> dict:
    from portal.accounts.models import Language, Role

    data = {
        "roles": [Role.objects.get(slug="chat-enforcer").pk],
        "languages": [Language.objects.get(code="en").pk],
        "timezone": "Europe/Berlin",
        "availability": "Tue 19:00-21:00\nSat 10:00-12:00",
        "capacity": "2",
        "note": "I run a mid-size channel's mod team.",
        "is_open": "on",
    }
    return data | overrides


def test_an_adult_offers_to_mentor_with_their_availability_kept_as_written(client):
    mentor = person()
    client.force_login(mentor)
    response = client.post(reverse("mentors:volunteer"), offer_form())
    assert response.status_code == 302
    offer = Mentor.objects.get(user=mentor)
    assert offer.timezone == "Europe/Berlin" and [str(w) for w in offer.windows] == [
        "Tue 19:00-21:00",
        "Sat 10:00-12:00",
    ]
    assert sorted((s.weekday, s.timezone) for s in offer.slots.all()) == [
        (1, "Europe/Berlin"),
        (5, "Europe/Berlin"),
    ]


@pytest.mark.parametrize("adult", [False])
def test_someone_who_has_not_said_they_are_18_cannot_mentor(client, adult):
    member = person(adult=adult)
    client.force_login(member)
    page = client.get(reverse("mentors:volunteer"))
    assert (
        "Mentors say they are 18 or older" in page.text
        and "<form" not in page.text.split("<main")[1].split("Edit your profile")[0]
    )
    assert client.post(reverse("mentors:volunteer"), offer_form()).status_code == 403
    assert not Mentor.objects.exists()


def test_an_offer_without_any_time_is_refused_beside_the_field(client):
    client.force_login(person())
    response = client.post(reverse("mentors:volunteer"), offer_form(availability=""))
    assert response.status_code == 400
    assert "Write at least one window" in response.text


# --- Suggestions ----------------------------------------------------------------------------


def test_suggestions_rank_by_role_then_language_then_overlap(client):
    asker = person(roles=("incident-responder",), languages=("de",), availability="Wed 18:00-22:00")
    far = make_mentor(roles=("community-host",), languages=("de",), availability="Wed 18:00-22:00")
    same_role = make_mentor(
        roles=("incident-responder",), languages=("fr",), availability="Mon 08:00-09:00"
    )
    same_role_and_language = make_mentor(
        roles=("incident-responder",), languages=("de",), availability="Mon 08:00-09:00"
    )
    best = make_mentor(
        roles=("incident-responder",), languages=("de",), availability="Wed 19:00-21:00"
    )
    order = [s.mentor for s in selectors.mentor_suggestions(reader=asker).items]
    assert order == [best, same_role_and_language, same_role, far]
    client.force_login(asker)
    page = client.get(reverse("mentors:index")).text
    assert page.index(best.user.display_name) < page.index(far.user.display_name)


def expected_overlap(
    week: date, mentor_tz: str, mentor_window: tuple, asker_tz: str, asker_window: tuple
) -> str:
    """The overlap as the asker reads it, worked out from the zone database for that week:
    (weekday, start hour, end hour) on each side's own clock."""

    def instant(tz: str, weekday: int, hour: int) -> datetime:
        return datetime.combine(week + timedelta(days=weekday), time(hour), ZoneInfo(tz))

    day, s, e = mentor_window
    m_start, m_end = instant(mentor_tz, day, s), instant(mentor_tz, day, e)
    day, s, e = asker_window
    a_start, a_end = instant(asker_tz, day, s), instant(asker_tz, day, e)
    start, end = max(m_start, a_start), min(m_end, a_end)
    local = ZoneInfo(asker_tz)
    start, end = start.astimezone(local), end.astimezone(local)
    return f"{DAY_NAMES[start.weekday()]} {start:%H:%M}-{end:%H:%M}"


@pytest.mark.parametrize(
    "monday",
    # North America has moved its clocks and Europe not yet; then both have.
    [date(2026, 3, 16), date(2026, 4, 6), date(2026, 1, 12)],
)
def test_the_overlap_is_shown_in_the_askers_own_time_in_the_week_looked_at(monday):
    asker = person(timezone="Europe/Berlin", availability="Tue 17:00-23:00")
    mentor = make_mentor(timezone="America/New_York", availability="Tue 13:00-15:00")
    now = datetime.combine(monday + timedelta(days=2), time(12), UTC)
    suggestion = selectors.mentor_suggestions(reader=asker, now=now).items[0]
    assert suggestion.mentor == mentor
    expected = expected_overlap(
        monday, "America/New_York", (1, 13, 15), "Europe/Berlin", (1, 17, 23)
    )
    assert suggestion.overlap_shown == [expected]
    assert suggestion.overlap_minutes == 120


def test_mentors_blocked_either_way_are_never_suggested_and_cannot_be_asked(client):
    asker = person()
    blocks_asker = make_mentor()
    blocked_by_asker = make_mentor()
    fine = make_mentor()
    Block.objects.create(blocker=blocks_asker.user, blocked=asker)
    Block.objects.create(blocker=asker, blocked=blocked_by_asker.user)
    assert [s.mentor for s in selectors.mentor_suggestions(reader=asker).items] == [fine]
    client.force_login(asker)
    for offer in (blocks_asker, blocked_by_asker):
        url = reverse("mentors:ask", kwargs={"mentor_id": offer.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {"message": "hi"}).status_code == 404
    assert not Mentorship.objects.exists()


def test_a_full_or_closed_mentor_is_not_suggested(client):
    full = make_mentor(capacity=1)
    under_way(full)
    make_mentor(is_open=False)
    open_one = make_mentor()
    assert [s.mentor for s in selectors.mentor_suggestions(reader=person()).items] == [open_one]


# --- Asking and answering -------------------------------------------------------------------


def test_a_new_moderator_asks_and_the_mentor_is_told(client, django_capture_on_commit_callbacks):
    offer = make_mentor()
    asker = person()
    client.force_login(asker)
    url = reverse("mentors:ask", kwargs={"mentor_id": offer.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": "I freeze during raids."})
    mentorship = Mentorship.objects.get()
    assert response.status_code == 302 and response["Location"] == mentorship.get_absolute_url()
    assert mentorship.status == Status.REQUESTED and not mentorship.observed
    notice = Notification.objects.get(recipient=offer.user)
    assert notice.kind == "mentoring" and notice.get_absolute_url() == mentorship.get_absolute_url()
    assert [m.to for m in mail.outbox] == [[offer.user.email]]
    # Asking again leads to the ask already made.
    again = client.post(url, {"message": "Again"})
    assert again.status_code == 302 and Mentorship.objects.count() == 1


def test_an_under_18_asker_is_told_the_mentorship_will_be_open_before_asking(client):
    offer = make_mentor()
    asker = person(adult=False)
    client.force_login(asker)
    url = reverse("mentors:ask", kwargs={"mentor_id": offer.pk})
    page = client.get(url)
    assert "your mentorship will be open" in page.text
    refused = client.post(url, {"message": "Hello"})
    assert refused.status_code == 400 and not Mentorship.objects.exists()
    client.post(url, {"message": "Hello", "understood": "on"})
    assert Mentorship.objects.get().observed


def test_the_mentor_accepts_an_open_mentorship_naming_an_observer(client, circle):
    waiting = asked(circle.offer, person(adult=False))
    client.force_login(circle.mentor)
    url = reverse("mentors:answer", kwargs={"pk": waiting.pk})
    without = client.post(url, {"answer-decision": "accept"})
    assert without.status_code == 400 and "Name who will read the conversation" in without.text
    not_a_mentor = client.post(
        url, {"answer-decision": "accept", "answer-observer": circle.other.username}
    )
    assert not_a_mentor.status_code == 400
    assert "a second mentor (18 or older) or a member of staff" in not_a_mentor.text
    client.post(url, {"answer-decision": "accept", "answer-observer": circle.staff.username})
    waiting.refresh_from_db()
    assert waiting.status == Status.ACTIVE and waiting.observer == circle.staff
    assert Notification.objects.filter(recipient=circle.staff, kind="mentoring").exists()


def test_a_decline_with_a_note_reaches_the_asker(client, circle):
    client.force_login(circle.mentor)
    url = reverse("mentors:answer", kwargs={"pk": circle.waiting.pk})
    client.post(url, {"answer-decision": "decline", "answer-note": "Full this month, sorry."})
    circle.waiting.refresh_from_db()
    assert circle.waiting.status == Status.DECLINED
    client.force_login(circle.asker)
    page = client.get(circle.waiting.get_absolute_url()).text
    assert "declined" in page and "Full this month, sorry." in page
    assert Notification.objects.filter(recipient=circle.asker, message__contains="declined")


def test_accepting_takes_a_place_and_ending_frees_it_and_counts_on_the_profile(client):
    offer = make_mentor(capacity=1)
    mentorship = under_way(offer)
    offer.refresh_from_db()
    assert offer.active_count == 1 and not offer.has_room
    client.force_login(mentorship.mentee)
    end = reverse("mentors:end", kwargs={"pk": mentorship.pk})
    client.post(end, {"reflection": "I learned to breathe before a ban."})
    offer.refresh_from_db()
    assert (offer.active_count, offer.completed_count) == (0, 1)
    profile = client.get(offer.user.profile.get_absolute_url()).text
    assert "has completed 1 mentorship" in profile and "Mentor</span>" in profile
    # The mentor writes their own reflection afterwards; both read both.
    client.force_login(offer.user)
    client.post(end, {"reflection": "A quick learner."})
    page = client.get(mentorship.get_absolute_url()).text
    assert "I learned to breathe before a ban." in page and "A quick learner." in page


# --- Goals, check-ins and reminders ---------------------------------------------------------


def test_a_guide_track_goal_shows_both_peoples_progress(client, tmp_path):
    from portal.guides.models import Lesson, LessonProgress, Track
    from tests.guides.conftest import sync, write_small_library

    sync(write_small_library(tmp_path / "guides"))
    track = Track.objects.get(slug="chat-enforcer")
    mentorship = under_way(make_mentor())
    first = Lesson.objects.filter(track=track).order_by("position").first()
    LessonProgress.objects.create(
        user=mentorship.mentee, lesson=first, completed_at=datetime.now(UTC)
    )
    total = Lesson.objects.filter(track=track, is_retired=False).count()
    client.force_login(mentorship.mentee)
    client.post(reverse("mentors:goal_add", kwargs={"pk": mentorship.pk}), {"goal-track": track.pk})
    client.force_login(mentorship.mentor)
    page = client.get(mentorship.get_absolute_url()).text
    assert f"{mentorship.mentee.display_name}: 1 of {total} lessons read" in page
    assert f"{mentorship.mentor.display_name}: 0 of {total} lessons read" in page


def test_a_goal_needs_words_or_a_track(client, circle):
    client.force_login(circle.mentee)
    response = client.post(reverse("mentors:goal_add", kwargs={"pk": circle.mentorship.pk}), {})
    assert response.status_code == 400 and "Write a goal or choose a guide track" in response.text


def test_a_due_check_in_is_reminded_to_both_once(circle, django_capture_on_commit_callbacks):
    checkin_schedule_set(
        mentorship=circle.mentorship, by=circle.mentee, every_days=7, today=date(2026, 3, 1)
    )
    mail.outbox.clear()
    assert checkin_reminders_send(today=date(2026, 3, 7)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert checkin_reminders_send(today=date(2026, 3, 8)) == 1
    told = {m.to[0] for m in mail.outbox}
    assert told == {circle.mentor.email, circle.mentee.email}
    assert checkin_reminders_send(today=date(2026, 3, 9)) == 0


def test_the_beat_job_reminds_due_check_ins(circle):
    Mentorship.objects.filter(pk=circle.mentorship.pk).update(
        checkin_every=7, next_checkin_on=date(2020, 1, 1)
    )
    assert remind_due_checkins.delay().get() == 1
    assert Notification.objects.filter(message__contains="check-in with").count() == 2


def test_a_check_in_moves_the_next_one_and_tells_the_other_side(client, circle):
    checkin_schedule_set(mentorship=circle.mentorship, by=circle.mentor, every_days=14)
    client.force_login(circle.mentee)
    url = reverse("mentors:checkin", kwargs={"pk": circle.mentorship.pk})
    client.post(url, {"checkin-note": "Handled my **first** raid."})
    circle.mentorship.refresh_from_db()
    assert circle.mentorship.next_checkin_on == date.today() + timedelta(days=14)
    assert Notification.objects.filter(recipient=circle.mentor, message__contains="check-in")
    page = client.get(circle.mentorship.get_absolute_url()).text
    assert "<strong>first</strong>" in page


def test_the_mentoring_switch_stops_mentoring_emails_but_not_the_notice(
    circle, django_capture_on_commit_callbacks
):
    preferences = preferences_for(circle.mentor)
    preferences.email_mentoring = False
    preferences.save()
    mail.outbox.clear()
    before = Notification.objects.filter(recipient=circle.mentor, kind="mentoring").count()
    with django_capture_on_commit_callbacks(execute=True):
        asked(circle.offer, person())
    assert not mail.outbox
    after = Notification.objects.filter(recipient=circle.mentor, kind="mentoring").count()
    assert after == before + 1


def test_accepting_opens_a_private_conversation_the_observer_reads(client, circle):
    from django.http import Http404

    from portal.forums.selectors.conversations import conversation_for_reader

    topic = circle.mentorship.conversation
    assert topic is not None and topic.is_private and topic.purpose == "mentorship"
    for who in (circle.mentee, circle.mentor, circle.observer):
        assert conversation_for_reader(pk=topic.pk, viewer=who).topic == topic
    with pytest.raises(Http404):
        conversation_for_reader(pk=topic.pk, viewer=circle.other)
    # The mentorship's page links to the conversation's own page, and the link opens it.
    client.force_login(circle.mentee)
    page = client.get(circle.mentorship.get_absolute_url()).text
    link = f'href="/messages/{topic.pk}/"'
    assert link in page and "Open your private conversation" in page
    opened = client.get(f"/messages/{topic.pk}/")
    assert opened.status_code == 200
    assert "Hello" in opened.text  # the mentor's opening message


def test_staff_page_is_the_404_any_stranger_gets(client, circle):
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(circle.mentorship.get_absolute_url()).status_code == 404
