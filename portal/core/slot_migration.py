"""Turn weekly slots stored as UTC minutes into slots as written, and back (the data step
of accounts 0004 and board 0006; see WeeklySlot and portal/core/weeks.py).

The windows as their writers wrote them are still on each owner (a profile's
``availability``, an opening's ``schedule``, with its ``timezone``), so the rows are rebuilt
from those. An owner with UTC rows and no written windows (made by hand or by an import)
gets its rows read back into its timezone with the offset in force when the migration runs,
the same guess the old rows were made with.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from portal.core.schedule import Window
from portal.core.weeks import (
    MINUTES_PER_WEEK,
    local_bounds,
    week_intervals,
    week_of,
    zone,
)


def _immediate_constraints(schema_editor) -> None:
    # Rows deleted and inserted here leave PostgreSQL's deferred foreign-key checks pending,
    # and the schema steps after this one then cannot ALTER the table; checking them now
    # leaves nothing pending.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _row(slot_model, owner_field: str, owner_id: int, window: Window, tz: str):
    local_start, local_end = local_bounds(window.weekday, window.start, window.end)
    return slot_model(
        **{f"{owner_field}_id": owner_id},
        weekday=window.weekday,
        start=window.start,
        end=window.end,
        timezone=tz,
        local_start=local_start,
        local_end=local_end,
    )


def _from_utc(minute: int, tz: str, monday: datetime) -> datetime:
    return (monday + timedelta(minutes=minute)).astimezone(zone(tz))


def slots_as_written(apps, schema_editor, *, app: str, slot: str, owner: str, written: str):
    """Forward: rebuild every ``slot`` row from its ``owner``'s written windows."""
    _immediate_constraints(schema_editor)
    slot_model = apps.get_model(app, slot)
    owner_model = apps.get_model(app, owner)
    owner_field = owner.lower()
    monday = datetime.combine(week_of(), time(), UTC)
    old: dict[int, list[tuple[int, int]]] = {}
    for owner_id, start, end in slot_model.objects.values_list(
        f"{owner_field}_id", "utc_start", "utc_end"
    ):
        old.setdefault(owner_id, []).append((start, end))
    rows = []
    for owner_id, windows, tz in owner_model.objects.values_list("pk", written, "timezone"):
        if windows:
            for data in windows:
                rows.append(_row(slot_model, owner_field, owner_id, Window.from_json(data), tz))
            continue
        for start, end in old.get(owner_id, []):
            local_start, local_end = _from_utc(start, tz, monday), _from_utc(end, tz, monday)
            window = Window(local_start.weekday(), local_start.time(), local_end.time())
            rows.append(_row(slot_model, owner_field, owner_id, window, tz))
    slot_model.objects.all().delete()
    slot_model.objects.bulk_create(rows, batch_size=2000)


def slots_as_utc(apps, schema_editor, *, app: str, slot: str, owner: str, written: str):
    """Backward: UTC minutes of this week, split where they wrap past Sunday, as before."""
    _immediate_constraints(schema_editor)
    slot_model = apps.get_model(app, slot)
    owner_field = owner.lower()
    week = week_of()
    rows = []
    for row in slot_model.objects.all():
        window = Window(row.weekday, row.start, row.end)
        [(start, end)] = week_intervals([window], row.timezone, week)
        start, end = start % MINUTES_PER_WEEK, start % MINUTES_PER_WEEK + (end - start)
        pieces = [(start, min(end, MINUTES_PER_WEEK))]
        if end > MINUTES_PER_WEEK:
            pieces.append((0, end - MINUTES_PER_WEEK))
        for utc_start, utc_end in pieces:
            rows.append(
                slot_model(
                    **{f"{owner_field}_id": getattr(row, f"{owner_field}_id")},
                    weekday=row.weekday,
                    start=row.start,
                    end=row.end,
                    timezone=row.timezone,
                    local_start=row.local_start,
                    local_end=row.local_end,
                    utc_start=utc_start,
                    utc_end=utc_end,
                )
            )
    slot_model.objects.all().delete()
    slot_model.objects.bulk_create(rows, batch_size=2000)
