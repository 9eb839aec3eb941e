"""Stream schedules and sign-ups for tests."""

from __future__ import annotations

from datetime import date

from portal.accounts.models import User
from portal.core.schedule import parse_windows
from portal.teams.models import CoverSignup, StreamSlot, Team
from portal.teams.services.coverage import cover_signup_create, stream_schedule_set


def write_schedule(team: Team, text: str, *, needed: int = 1) -> list[StreamSlot]:
    stream_schedule_set(
        team=team,
        windows=parse_windows(text),
        needed=needed,
        timezone_name=team.channel.timezone,
    )
    return list(StreamSlot.objects.filter(team=team).order_by("local_start"))


def sign_up(slot: StreamSlot, on: date, user: User) -> CoverSignup:
    return cover_signup_create(slot=slot, on=on, user=user)


def set_availability(user: User, text: str, tz: str) -> None:
    profile = user.profile
    profile.timezone = tz
    profile.availability = [w.as_json() for w in parse_windows(text)]
    profile.save(update_fields=["timezone", "availability"])
