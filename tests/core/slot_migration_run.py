"""Run by tests/core/test_slot_migration.py in a process of its own, on a scratch SQLite
file: migrate to just before the slots were kept as written, write rows the old way, then
migrate forward, back and forward again, printing what each step left as JSON."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

BEFORE = [("accounts", "0004_user_unread_notifications"), ("board", "0005_staff_reads")]


def utc_rows() -> dict:
    with connection.cursor() as cursor:
        cursor.execute('SELECT start, "end" FROM accounts_availabilityslot ORDER BY 1')
        people = cursor.fetchall()
        cursor.execute('SELECT start, "end" FROM board_openingslot ORDER BY 1')
        openings = cursor.fetchall()
    return {"people": people, "openings": openings}


def written_rows() -> dict:
    from portal.accounts.models import AvailabilitySlot
    from portal.board.models import OpeningSlot

    return {
        "people": sorted(
            [s.profile.user.username, str(s), s.local_start, s.local_end]
            for s in AvailabilitySlot.objects.select_related("profile__user")
        ),
        "openings": sorted([str(s), s.local_start, s.local_end] for s in OpeningSlot.objects.all()),
    }


def main() -> None:
    # All the way first: other apps' post-migrate hooks expect their own tables.
    call_command("migrate", verbosity=0)
    for app, name in BEFORE:
        call_command("migrate", app, name, verbosity=0)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    user_model, profile_model = (
        old.get_model("accounts", "User"),
        old.get_model("accounts", "Profile"),
    )
    slot_model = old.get_model("accounts", "AvailabilitySlot")
    berlin = profile_model.objects.create(
        user=user_model.objects.create(username="berliner", email="b@example.com"),
        timezone="Europe/Berlin",
        availability=[[4, "18:00", "22:00"], [6, "23:00", "00:00"]],
    )
    # Written windows and their UTC copy from a winter day.
    slot_model.objects.create(profile=berlin, start=4 * 1440 + 17 * 60, end=4 * 1440 + 21 * 60)
    slot_model.objects.create(profile=berlin, start=6 * 1440 + 22 * 60, end=6 * 1440 + 23 * 60)
    # Only a UTC row, no written windows: read back with the offset in force (frozen below).
    new_yorker = profile_model.objects.create(
        user=user_model.objects.create(username="new_yorker", email="n@example.com"),
        timezone="America/New_York",
        availability=[],
    )
    slot_model.objects.create(profile=new_yorker, start=0, end=120)
    channel = old.get_model("board", "Channel").objects.create(
        owner_id=berlin.user_id, name="C", slug="c", twitch_login="c", timezone="Asia/Kolkata"
    )
    opening = old.get_model("board", "Opening").objects.create(
        channel=channel,
        title="Mornings in Kolkata",
        description="d",
        description_html="d",
        schedule=[[0, "09:00", "11:00"]],
        timezone="Asia/Kolkata",
        hours_per_week=3,
        closes_on=date(2027, 1, 1),
        expires_at=datetime(2027, 1, 1, tzinfo=UTC),
    )
    old.get_model("board", "OpeningSlot").objects.create(opening=opening, start=210, end=330)
    steps = {}
    call_command("migrate", verbosity=0)
    steps["forward"] = written_rows()
    for app, name in BEFORE:
        call_command("migrate", app, name, verbosity=0)
    steps["back"] = utc_rows()
    call_command("migrate", verbosity=0)
    steps["again"] = written_rows()
    print(json.dumps(steps))


if __name__ == "__main__":
    import time_machine

    with time_machine.travel(datetime(2026, 12, 2, 12, tzinfo=UTC), tick=False):
        main()
