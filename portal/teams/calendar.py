"""A member's private calendar feed (RFC 5545), built with the ``icalendar`` library rather
than by hand, so escaping, line folding and the VTIMEZONE blocks calendar apps need are
right.

Each stream the member covers is one event at its local time in the channel's timezone (with
that zone's rules attached), so the calendar app moves it correctly across daylight-saving
changes. When asked, the team's whole schedule is added as weekly repeating events.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from portal.core.weeks import zone
from portal.teams.coverage_time import SIGNUP_WEEKS_AHEAD, occurrence_bounds
from portal.teams.models import CalendarFeed, CoverSignup, StreamSlot

# How far back the feed keeps streams already covered.
DAYS_BACK = 30
_DOMAIN = "modhall"


def _uid(kind: str, *parts: object) -> str:
    return f"{kind}-{'-'.join(str(p) for p in parts)}@{_DOMAIN}"


def calendar_for(*, feed: CalendarFeed, link: str) -> bytes:
    """The feed's calendar: three queries (sign-ups, and the slots when the schedule is
    asked for)."""
    team = feed.team
    channel = team.channel
    now = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Mod team coverage//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{channel.name}: my streams to cover")
    today = now.date()
    signups = (
        CoverSignup.objects.standing()
        .filter(
            slot__team=team,
            user=feed.user,
            on__gte=today - timedelta(days=DAYS_BACK),
            on__lte=today + timedelta(weeks=SIGNUP_WEEKS_AHEAD + 1),
        )
        .select_related("slot")
    )
    for signup in signups:
        slot = signup.slot
        starts, ends = occurrence_bounds(slot, signup.on)
        tz = zone(slot.timezone)
        event = Event()
        event.add("uid", _uid("cover", slot.pk, f"{signup.on:%Y%m%d}", feed.user_id))
        event.add("dtstamp", signup.created_at)
        event.add("dtstart", starts.astimezone(tz))
        event.add("dtend", ends.astimezone(tz))
        event.add("summary", f"Moderating {channel.name}")
        event.add("description", f"You cover this stream for the {channel.name} mod team.")
        event.add("url", link)
        calendar.add_component(event)
    if feed.with_schedule:
        for slot in StreamSlot.objects.filter(team=team):
            tz = zone(slot.timezone)
            # The first occurrence from the slot's creation; the weekly rule repeats it at
            # the same local time, whatever the offset.
            first = slot.created_at.astimezone(tz).date()
            first += timedelta(days=(slot.weekday - first.weekday()) % 7)
            starts, ends = occurrence_bounds(slot, first)
            event = Event()
            event.add("uid", _uid("stream", slot.pk))
            event.add("dtstamp", slot.created_at)
            event.add("dtstart", starts.astimezone(tz))
            event.add("dtend", ends.astimezone(tz))
            event.add("rrule", {"freq": "weekly"})
            event.add("summary", f"{channel.name} streams")
            event.add("url", link)
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
