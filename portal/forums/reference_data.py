"""Rows every Modhall database must have for the forums: the categories and the Forum
moderators group.

Written after every migrate (post_migrate, after accounts' roles, as accounts does for its
reference rows) rather than by a data migration: test runs that empty every table (browser
journeys, real workers) emit post_migrate afterwards and so get them back. Categories are
written only into an empty table, so staff's edits in the admin (names, descriptions, hold
levels, a category removed) are never undone by a deploy.
"""

from __future__ import annotations

from typing import NamedTuple

from portal.forums.permissions import FORUM_MODERATORS


class Seed(NamedTuple):
    slug: str
    name: str
    description: str
    role: str = ""  # the role track it discusses
    is_qa: bool = False
    staff_only_posting: bool = False


CATEGORIES = [
    Seed(
        "introductions",
        "Introductions",
        "Say hello: the channels you help and how you got the sword.",
    ),
    Seed(
        "new-moderators-questions",
        "New moderators' questions",
        "No question is too small. Ask what the role, the tools or the team expect of you.",
        is_qa=True,
    ),
    Seed(
        "chat-enforcer",
        "Chat Enforcer",
        "Warnings, timeouts and bans; the held-message queue; blocked terms; unban requests.",
        role="chat-enforcer",
    ),
    Seed(
        "community-host",
        "Community Host",
        "Greeting newcomers and regulars, setting the tone, welcoming raids.",
        role="community-host",
    ),
    Seed(
        "helper-bot-operator",
        "Helper & Bot Operator",
        "Commands, chat bots, polls, predictions and channel points.",
        role="helper-bot-operator",
    ),
    Seed(
        "right-hand",
        "Streamer's Right Hand",
        "Editor-style duties: titles and categories, raids, clips, briefings with the streamer.",
        role="right-hand",
    ),
    Seed(
        "lead-moderator",
        "Lead Moderator",
        "Running a team: recruiting, trials, the rulebook, the schedule, reviewing actions.",
        role="lead-moderator",
    ),
    Seed(
        "incident-responder",
        "Incident Responder",
        "Hate raids and emergencies: lockdown plans, bulk actions, threats, self-care after.",
        role="incident-responder",
    ),
    Seed(
        "event-moderator",
        "Event Moderator",
        "Big and shared streams: slow mode, spam waves, handoffs, shared bans, escalation.",
        role="event-moderator",
    ),
    Seed(
        "tools-and-bots",
        "Tools & bots",
        "Mod View, AutoMod settings, bots and the tools that make the work lighter.",
        is_qa=True,
    ),
    Seed(
        "tough-calls",
        "Tough calls",
        "Talk through a hard decision, live or afterwards, with moderators from other channels.",
        is_qa=True,
    ),
    Seed(
        "running-a-mod-team",
        "Running a mod team",
        "Shared rulebooks, off-stream prep, coverage schedules and team communication.",
    ),
    Seed(
        "wellbeing",
        "Wellbeing",
        "Emotional labour, burnout, exposure to hate: support from people who know.",
    ),
    Seed(
        "streamers-and-mods",
        "Streamers & mods",
        "Streamers and moderators on working together: trust, briefings, expectations.",
    ),
    Seed(
        "site-feedback",
        "Site feedback",
        "What works on Modhall, what does not, and what you would like next.",
    ),
    Seed("announcements", "Announcements", "News from the Modhall team.", staff_only_posting=True),
]


def colour_for(order: int) -> str:
    """A distinct colour for the category at this place (the palette has 12; past that they
    repeat, far enough apart in the list not to sit side by side)."""
    from portal.forums.models import CategoryColour

    return CategoryColour.values[(order - 1) % len(CategoryColour.values)]


def ensure_reference_data(**kwargs) -> None:
    from django.contrib.auth.models import Group

    from portal.accounts.models import Role
    from portal.forums.models import Category

    Group.objects.get_or_create(name=FORUM_MODERATORS)
    if Category.objects.exists():
        return
    roles = {role.slug: role for role in Role.objects.all()}
    Category.objects.bulk_create(
        Category(
            slug=seed.slug,
            name=seed.name,
            description=seed.description,
            order=order * 10,
            role=roles.get(seed.role),
            is_qa=seed.is_qa,
            staff_only_posting=seed.staff_only_posting,
            colour=colour_for(order),
        )
        for order, seed in enumerate(CATEGORIES, start=1)
    )
