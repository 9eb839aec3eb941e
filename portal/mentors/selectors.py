"""Reads for mentoring, each a fixed number of queries whatever the number of mentors or
mentorships (the tests pin the counts).

Suggestions rank every mentor taking mentees for the person asking: first by how many of
the asker's roles they mentor, then whether they share a language, then how long their
availability overlaps the asker's this week. Both sides' windows are kept as written, in
their own timezones, and placed in the week being looked at (portal/core/weeks.py), so the
overlap, shown in the asker's own time, stays right across clock changes. The ranking is
worked out in Python from the rows of one query: mentors are few beside members, and a
score per mentor is a handful of interval comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Prefetch, Q

from portal.accounts.models import Block, User
from portal.accounts.selectors import blocked_either_way
from portal.core.schedule import DAY_NAMES
from portal.core.weeks import Interval, around, week_intervals, week_of, zone
from portal.guides.selectors import library_index
from portal.mentors.models import CheckIn, Goal, Mentor, Mentorship, Status

SUGGESTIONS_SHOWN = 30


def blocked_either_way_ids(*, user: User) -> set[int]:
    """Everyone this person blocks or is blocked by (one query): never suggested, never
    asked."""
    pairs = Block.objects.filter(Q(blocker=user) | Q(blocked=user)).values_list(
        "blocker_id", "blocked_id"
    )
    return {a if b == user.pk else b for a, b in pairs}


def overlap(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """Where two lists of intervals meet, merged."""
    met = sorted((max(s1, s2), min(e1, e2)) for s1, e1 in a for s2, e2 in b if s1 < e2 and s2 < e1)
    merged: list[list[int]] = []
    for start, end in met:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def intervals_for_reader(intervals: list[Interval], reader_tz: str, week: date) -> list[str]:
    """Intervals of the week as a reader in ``reader_tz`` reads them: "Tue 19:00-21:00"."""
    tz = zone(reader_tz)
    monday = datetime.combine(week, time(), UTC)
    shown = []
    for start, end in intervals:
        local_start = (monday + timedelta(minutes=start)).astimezone(tz)
        local_end = (monday + timedelta(minutes=end)).astimezone(tz)
        shown.append(f"{DAY_NAMES[local_start.weekday()]} {local_start:%H:%M}-{local_end:%H:%M}")
    return shown


@dataclass
class Suggestion:
    mentor: Mentor
    roles_in_common: list[str] = field(default_factory=list)
    shares_language: bool = False
    overlap_minutes: int = 0
    overlap_shown: list[str] = field(default_factory=list)
    asked: bool = False

    @property
    def overlap_hours(self) -> float:
        return round(self.overlap_minutes / 60, 1)

    @property
    def rank_key(self) -> tuple:
        return (
            -len(self.roles_in_common),
            -int(self.shares_language),
            -self.overlap_minutes,
            self.mentor.active_count,
            self.mentor.pk,
        )


@dataclass
class Suggestions:
    items: list[Suggestion]
    total: int
    reader_has_hours: bool
    reader_tz: str
    week: date
    own_offer: Mentor | None


def mentor_suggestions(*, reader: User, now: datetime | None = None) -> Suggestions:
    """Mentors taking mentees, best for the reader first (six queries: the reader's roles
    and languages, their blocks, their open asks, their own offer, the mentors with their
    roles and languages in three)."""
    week = week_of(now)
    profile = reader.profile
    reader_roles = {role.pk: role.name for role in profile.roles.all()}
    reader_languages = set(profile.languages.values_list("pk", flat=True))
    blocked = blocked_either_way_ids(user=reader)
    asked = set(Mentorship.objects.open().filter(mentee=reader).values_list("mentor_id", flat=True))
    own_offer = Mentor.objects.filter(user=reader).first()
    mentors = (
        Mentor.objects.taking_mentees()
        .exclude(user=reader)
        .exclude(user_id__in=blocked)
        .select_related("user__profile")
        .prefetch_related(Prefetch("roles"), Prefetch("languages"))
    )
    reader_around = around(profile.windows, profile.timezone, week)
    items = []
    for mentor in mentors:
        suggestion = Suggestion(mentor=mentor, asked=mentor.user_id in asked)
        suggestion.roles_in_common = [
            reader_roles[role.pk] for role in mentor.roles.all() if role.pk in reader_roles
        ]
        suggestion.shares_language = any(
            language.pk in reader_languages for language in mentor.languages.all()
        )
        if reader_around:
            met = overlap(week_intervals(mentor.windows, mentor.timezone, week), reader_around)
            suggestion.overlap_minutes = sum(end - start for start, end in met)
            suggestion.overlap_shown = intervals_for_reader(met, profile.timezone, week)
        items.append(suggestion)
    items.sort(key=lambda s: s.rank_key)
    return Suggestions(
        items=items[:SUGGESTIONS_SHOWN],
        total=len(items),
        reader_has_hours=bool(reader_around),
        reader_tz=profile.timezone,
        week=week,
        own_offer=own_offer,
    )


def mentor_for_asker(*, asker: User, mentor_id: int) -> Mentor | None:
    """The mentor the person may ask, or None (not taking mentees, themselves, or blocked
    either way: the asker is not told which)."""
    mentor = (
        Mentor.objects.taking_mentees()
        .select_related("user__profile")
        .prefetch_related("roles", "languages")
        .filter(pk=mentor_id)
        .exclude(user=asker)
        .first()
    )
    if mentor is None or mentor.user_id in blocked_either_way_ids(user=asker):
        return None
    return mentor


@dataclass
class MyMentorships:
    as_mentee: list[Mentorship]
    as_mentor: list[Mentorship]
    observing: list[Mentorship]
    offer: Mentor | None


def my_mentorships(*, user: User) -> MyMentorships:
    """The person's mentorships in every part, newest first: two queries."""
    rows = list(
        Mentorship.objects.involving(user).select_related(
            "mentor__profile", "mentee__profile", "observer__profile"
        )
    )
    return MyMentorships(
        as_mentee=[m for m in rows if m.mentee_id == user.pk],
        as_mentor=[m for m in rows if m.mentor_id == user.pk],
        observing=[m for m in rows if m.observer_id == user.pk],
        offer=Mentor.objects.filter(user=user).first(),
    )


@dataclass
class GoalRow:
    goal: Goal
    # For a guide track: (lessons read, lessons) for the mentee and the mentor.
    mentee_progress: tuple[int, int] | None = None
    mentor_progress: tuple[int, int] | None = None
    track_url: str = ""


@dataclass
class MentorshipPage:
    mentorship: Mentorship
    goals: list[GoalRow]
    checkins: list[CheckIn]
    # An ended mentorship between two people who block each other takes no reflections.
    closed_by_block: bool = False


def mentorship_page(*, mentorship: Mentorship) -> MentorshipPage:
    """The mentorship's goals (with both people's progress through each guide track, from
    the guides' own reading of them) and its check-ins: four queries at most, and one more
    for an ended mentorship (whether a block closed it)."""
    goals = list(mentorship.goals.select_related("track"))
    rows = [GoalRow(goal=goal) for goal in goals]
    if any(goal.track_id for goal in goals) and mentorship.status != Status.REQUESTED:
        readings = {
            "mentee": {c.card.pk: c for c in library_index(user=mentorship.mentee).cards},
            "mentor": {c.card.pk: c for c in library_index(user=mentorship.mentor).cards},
        }
        for row in rows:
            if not row.goal.track_id:
                continue
            mentee_card = readings["mentee"].get(row.goal.track_id)
            mentor_card = readings["mentor"].get(row.goal.track_id)
            if mentee_card:
                row.mentee_progress = (mentee_card.done, mentee_card.card.lesson_count)
                row.track_url = mentee_card.card.url
            if mentor_card:
                row.mentor_progress = (mentor_card.done, mentor_card.card.lesson_count)
    checkins = list(mentorship.checkins.select_related("author__profile"))
    closed_by_block = mentorship.status == Status.ENDED and blocked_either_way(
        a_id=mentorship.mentor_id, b_id=mentorship.mentee_id
    )
    return MentorshipPage(
        mentorship=mentorship, goals=rows, checkins=checkins, closed_by_block=closed_by_block
    )


def staff_asked(*, limit: int = 100) -> list[Mentorship]:
    """Mentorships someone asked staff to read, newest ask first: one query."""
    return list(
        Mentorship.objects.filter(staff_asked_at__isnull=False)
        .select_related("mentor__profile", "mentee__profile", "staff_asked_by__profile")
        .order_by("-staff_asked_at", "-pk")[:limit]
    )
