"""The coverage grid: streams kept in the channel's timezone and shown in each reader's own,
right on both sides of Europe's and North America's clock changes; signing up, stepping
back, swaps; removed members' sign-ups; the gap check that tells the leads once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from portal.celery import app
from portal.teams.coverage_time import occurrence_bounds
from portal.teams.models import CoverSignup, EventKind, SwapRequest, TeamEvent
from portal.teams.services import membership_remove
from portal.teams.services.coverage import coverage_gaps_check
from portal.teams.tasks import check_coverage_gaps
from tests.teams.coverage_factories import set_availability, sign_up, write_schedule

pytestmark = pytest.mark.django_db

BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
# Fridays of three weeks: both on summer time; Europe back on winter time, New York not yet;
# both on winter time.
FRIDAYS = [date(2026, 10, 23), date(2026, 10, 30), date(2026, 11, 6)]


def grid(team, week: date | None = None) -> str:
    url = reverse("teams:coverage", kwargs={"slug": team.slug})
    return url + (f"?week={week:%Y-%m-%d}" if week else "")


def shown(moment: datetime, tz: ZoneInfo) -> str:
    """How local_time writes a moment for a reader in ``tz``."""
    local = moment.astimezone(tz)
    return f"{local.day} {local:%b %Y, %H:%M} {tz.key}"


@pytest.mark.parametrize("friday", FRIDAYS)
def test_a_stream_is_at_the_channels_local_hour_in_every_week(berlin_crew, friday):
    starts, ends = occurrence_bounds(berlin_crew.friday, friday)
    assert starts == datetime.combine(friday, datetime.min.time().replace(hour=20), BERLIN)
    assert ends - starts == timedelta(hours=3)


@pytest.mark.parametrize("friday", FRIDAYS)
def test_a_reader_in_new_york_sees_the_berlin_stream_at_their_own_hour(client, berlin_crew, friday):
    set_availability(berlin_crew.member, "", "America/New_York")
    client.force_login(berlin_crew.member)
    page = client.get(grid(berlin_crew.team, friday)).text
    expected = datetime(friday.year, friday.month, friday.day, 20, 0, tzinfo=BERLIN)
    assert shown(expected, NEW_YORK) in page
    # 14:00 in New York but in the week between the two changes, when it is 15:00.
    assert (expected.astimezone(NEW_YORK).hour == 15) == (friday == FRIDAYS[1])


def test_who_is_around_follows_the_week_of_each_clock(client, berlin_crew):
    # Around Fridays 17:00-18:00 New York time: the Berlin stream (20:00-23:00) meets that
    # only in the week Europe has changed its clocks and New York has not.
    set_availability(berlin_crew.trial, "Fri 17:00-18:00", "America/New_York")
    client.force_login(berlin_crew.member)
    name = berlin_crew.trial.display_name
    around = [name in client.get(grid(berlin_crew.team, f)).text for f in FRIDAYS]
    assert around == [False, True, False]


def test_a_member_signs_up_and_the_stream_is_covered(client, berlin_crew):
    client.force_login(berlin_crew.member)
    friday = FRIDAYS[0]
    response = client.post(
        reverse("teams:coverage_sign_up", kwargs={"slug": berlin_crew.team.slug}),
        {"slot": berlin_crew.friday.pk, "on": friday.isoformat()},
    )
    assert response.status_code == 302
    assert response["Location"] == grid(berlin_crew.team, date(2026, 10, 19))
    page = client.get(response["Location"]).text
    assert f"{berlin_crew.member.display_name} (you)" in page
    assert "Step back" in page and "1 stream still needs cover" in page  # Sunday is open


def test_a_stream_takes_as_many_as_it_needs_and_no_one_twice(berlin_crew):
    from django.core.exceptions import ValidationError

    slot = write_schedule(berlin_crew.team, "Fri 20:00-23:00", needed=2)[0]
    sign_up(slot, FRIDAYS[0], berlin_crew.member)
    with pytest.raises(ValidationError, match="already"):
        sign_up(slot, FRIDAYS[0], berlin_crew.member)
    sign_up(slot, FRIDAYS[0], berlin_crew.trial)
    with pytest.raises(ValidationError, match="covered already"):
        sign_up(slot, FRIDAYS[0], berlin_crew.lead)


def test_nobody_signs_up_for_a_stream_that_started_or_a_day_it_is_not_on(berlin_crew):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="started"):
        sign_up(berlin_crew.friday, date(2026, 10, 16), berlin_crew.member)
    with pytest.raises(ValidationError, match="not on that day"):
        sign_up(berlin_crew.friday, date(2026, 10, 22), berlin_crew.member)


def test_a_refused_sign_up_says_why_on_the_grid(client, berlin_crew):
    client.force_login(berlin_crew.member)
    url = reverse("teams:coverage_sign_up", kwargs={"slug": berlin_crew.team.slug})
    data = {"slot": berlin_crew.friday.pk, "on": "2026-10-16"}
    page = client.post(url, data, follow=True).text
    assert "That stream has started already." in page


def test_keeping_a_slot_on_the_schedule_keeps_its_sign_ups(berlin_crew):
    sign_up(berlin_crew.friday, FRIDAYS[0], berlin_crew.member)
    write_schedule(berlin_crew.team, "Fri 20:00-23:00\nSat 12:00-14:00")
    assert CoverSignup.objects.filter(slot=berlin_crew.friday).count() == 1
    write_schedule(berlin_crew.team, "Sat 12:00-14:00")
    assert not CoverSignup.objects.exists()


def test_a_removed_member_no_longer_covers_and_coming_back_does_not_restore_it(client, berlin_crew):
    from tests.teams.factories import add_member

    sign_up(berlin_crew.friday, FRIDAYS[0], berlin_crew.member)
    membership = berlin_crew.team.memberships.get(user=berlin_crew.member)
    membership_remove(membership=membership, actor=berlin_crew.owner)
    assert not CoverSignup.objects.standing().exists()
    add_member(berlin_crew.team, berlin_crew.member)
    assert not CoverSignup.objects.standing().exists()
    client.force_login(berlin_crew.lead)
    assert "2 streams still need cover" in client.get(grid(berlin_crew.team)).text


def test_stepping_back_frees_the_stream(client, berlin_crew):
    signup = sign_up(berlin_crew.friday, FRIDAYS[0], berlin_crew.member)
    client.force_login(berlin_crew.member)
    url = reverse("teams:coverage_withdraw", kwargs={"slug": berlin_crew.team.slug})
    assert client.post(url, {"signup": signup.pk}).status_code == 302
    assert not CoverSignup.objects.exists()


def test_nobody_steps_back_for_someone_else(client, berlin_crew):
    signup = sign_up(berlin_crew.friday, FRIDAYS[0], berlin_crew.member)
    client.force_login(berlin_crew.lead)
    url = reverse("teams:coverage_withdraw", kwargs={"slug": berlin_crew.team.slug})
    assert client.post(url, {"signup": signup.pk}).status_code == 404
    assert CoverSignup.objects.exists()


def test_a_swap_is_asked_told_to_the_team_and_taken_by_another_member(
    client, berlin_crew, mailoutbox, django_capture_on_commit_callbacks
):
    signup = sign_up(berlin_crew.friday, FRIDAYS[0], berlin_crew.member)
    slug = berlin_crew.team.slug
    client.force_login(berlin_crew.member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("teams:swap_ask", kwargs={"slug": slug}), {"signup": signup.pk})
    swap = SwapRequest.objects.open().get()
    news = TeamEvent.objects.get(kind=EventKind.SWAP)
    assert not news.leads_only and "Fri 23 Oct 20:00" in news.summary
    assert berlin_crew.trial.email in {m.to[0] for m in mailoutbox}
    # Still covered while nobody has taken it.
    assert CoverSignup.objects.standing().filter(user=berlin_crew.member).exists()
    # The asker cannot take their own swap.
    take = reverse("teams:swap_take", kwargs={"slug": slug})
    client.post(take, {"swap": swap.pk})
    assert SwapRequest.objects.open().exists()

    client.force_login(berlin_crew.trial)
    page = client.get(grid(berlin_crew.team)).text
    assert f"Take {berlin_crew.member.display_name}" in page
    client.post(take, {"swap": swap.pk})
    signup.refresh_from_db()
    swap.refresh_from_db()
    assert signup.user == berlin_crew.trial and swap.taken_by == berlin_crew.trial
    assert not SwapRequest.objects.open().exists()
    # Taken once only.
    client.force_login(berlin_crew.lead)
    assert client.post(take, {"swap": swap.pk}).status_code == 404


def test_a_swap_withdrawn_keeps_the_stream(client, berlin_crew):
    signup = sign_up(berlin_crew.friday, FRIDAYS[0], berlin_crew.member)
    slug = berlin_crew.team.slug
    client.force_login(berlin_crew.member)
    client.post(reverse("teams:swap_ask", kwargs={"slug": slug}), {"signup": signup.pk})
    swap = SwapRequest.objects.get()
    client.force_login(berlin_crew.trial)
    url = reverse("teams:swap_withdraw", kwargs={"slug": slug})
    assert client.post(url, {"swap": swap.pk}).status_code == 404  # not theirs
    client.force_login(berlin_crew.member)
    client.post(url, {"swap": swap.pk})
    assert not SwapRequest.objects.open().exists()
    assert CoverSignup.objects.get().user == berlin_crew.member


def test_gaps_in_the_next_48_hours_are_told_to_the_leads_once(
    berlin_crew, october, mailoutbox, django_capture_on_commit_callbacks
):
    # Thursday 22 Oct, 21:00 UTC: Friday's stream (18:00 UTC) is within 48 hours, Sunday's
    # (17:00 UTC, winter time by then) is not yet.
    october.move_to(datetime(2026, 10, 22, 21, 0, tzinfo=UTC))
    with django_capture_on_commit_callbacks(execute=True):
        assert coverage_gaps_check() == 1
        assert coverage_gaps_check() == 0
    gap = TeamEvent.objects.get(kind=EventKind.COVERAGE_GAP)
    assert gap.leads_only and "Fri 23 Oct 20:00" in gap.summary
    told = {m.to[0] for m in mailoutbox if "Coverage gap" in m.subject}
    assert told == {berlin_crew.owner.email, berlin_crew.lead.email}
    # Saturday 16:30 UTC: Sunday's stream is 24.5 hours off.
    october.move_to(datetime(2026, 10, 24, 16, 30, tzinfo=UTC))
    assert check_coverage_gaps() == 1
    assert TeamEvent.objects.filter(kind=EventKind.COVERAGE_GAP).count() == 2


def test_a_covered_stream_is_no_gap(berlin_crew, october):
    sign_up(berlin_crew.friday, FRIDAYS[0], berlin_crew.member)
    october.move_to(datetime(2026, 10, 22, 21, 0, tzinfo=UTC))
    assert coverage_gaps_check() == 0


def test_the_gap_check_is_on_the_beat_schedule():
    entries = [e["task"] for e in app.conf.beat_schedule.values()]
    assert "portal.teams.tasks.check_coverage_gaps" in entries


def test_a_week_that_is_no_date_is_a_400_with_a_reason(client, berlin_crew):
    client.force_login(berlin_crew.member)
    for week in ("banana", "9999-12-31", "2026-02-30"):
        response = client.get(grid(berlin_crew.team) + f"?week={week}")
        assert response.status_code == 400 and b"No such week" in response.content


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_grid_costs_a_fixed_number_of_queries(
    client, berlin_crew, size, django_assert_num_queries
):
    """Prevents an N+1 over streams, sign-ups, swaps and members."""
    from tests.teams.factories import add_member

    sign_up(berlin_crew.friday, date(2026, 10, 30), berlin_crew.lead)
    if size == "large":
        text = "\n".join(f"{d} {h}:00-{h + 1}:00" for d in ("Mon", "Wed", "Sat") for h in (9, 12))
        slots = write_schedule(berlin_crew.team, text, needed=3)
        people = [add_member(berlin_crew.team).user for _ in range(6)]
        for person in people:
            set_availability(person, "Daily 08:00-22:00", "Asia/Tokyo")
        for slot in slots:
            for person in people[:3]:
                signup = sign_up(slot, date(2026, 10, 26) + timedelta(days=slot.weekday), person)
                SwapRequest.objects.create(signup=signup, asked_by=person)
    client.force_login(berlin_crew.member)
    client.get(grid(berlin_crew.team, date(2026, 10, 26)))  # sessions, caches warmed
    # The user (the session is cached), their profile (the reader's timezone), team,
    # membership, slots, sign-ups, their open swaps, members.
    with django_assert_num_queries(8):
        assert client.get(grid(berlin_crew.team, date(2026, 10, 26))).status_code == 200


def test_sign_ups_swaps_and_calendars_are_exported_and_erased_with_the_person(berlin_crew):
    from portal.core.personal_data import Leaving, registry
    from portal.teams.models import CalendarFeed
    from portal.teams.services.coverage import calendar_feed_renew

    signup = sign_up(berlin_crew.friday, FRIDAYS[0], berlin_crew.member)
    SwapRequest.objects.create(signup=signup, asked_by=berlin_crew.member)
    feed = calendar_feed_renew(team=berlin_crew.team, user=berlin_crew.member)
    entries = {e.model: e for e in registry() if e.model.startswith("teams.")}
    person = berlin_crew.member
    assert entries["teams.CoverSignup"].export(person)[0]["stream"] == "2026-10-23 20:00-23:00"
    assert entries["teams.SwapRequest"].export(person)[0]["asked_by_you"]
    exported = entries["teams.CalendarFeed"].export(person)
    assert exported and feed.token not in str(exported)
    leaving = Leaving(user_id=person.pk, username=person.username)
    for entry in entries.values():
        if entry.erase:
            entry.erase(leaving)
    assert not CoverSignup.objects.exists() and not CalendarFeed.objects.exists()
