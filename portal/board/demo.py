"""Demo board: channels owned by demo streamers, their openings (with questions and a
schedule), applications in every state with their history, and a few reports for staff.

Two idempotent steps: channels when there are none, openings and everything after them when
there are none. All rows are made with bulk_create, so "large" (3,000 openings and 30,000
applications, the scale issue's sizes) loads in about a minute on PostgreSQL. demo_streamer's
first opening has applications to review, and demo_mod has applications in several states.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from random import Random

from django.utils import timezone

from portal.accounts.models import Language, Role, User
from portal.board.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Channel,
    Compensation,
    Opening,
    OpeningReport,
    OpeningSlot,
    OpeningStatus,
    Question,
    QuestionKind,
    ReportReason,
)
from portal.board.services import closing_instant, local_today
from portal.core.demo import DemoContext
from portal.core.progress import progress
from portal.core.schedule import parse_windows
from portal.markup import render_markdown

CATEGORIES = ["Just Chatting", "Speedrunning", "Art", "Music", "Retro games", "Strategy",
              "Horror games", "Science & Technology", "Cozy games", "Esports"]  # fmt: skip
NAMES = ["Pixel Harbour", "Night Owl Radio", "The Speedy Snail", "Brushstrokes Live",
         "Cozy Corner", "Dungeon Deep", "Quiet Lab", "Synth Garden", "Retro Rewind",
         "Tactics Table"]  # fmt: skip

# Openings and applications per size; "large" is the scale issue's 3,000 and 30,000.
BOARD_SIZES = {
    "small": {"openings": 24, "applications": 80},
    "large": {"openings": 3_000, "applications": 30_000},
}
BATCH = 2000

TITLES = [
    ("Night-shift chat enforcer", "chat-enforcer"),
    ("Community host for cozy weekend streams", "community-host"),
    ("Bot and commands helper", "helper-bot-operator"),
    ("Streamer's right hand for raids and clips", "right-hand"),
    ("Lead moderator to run a team of six", "lead-moderator"),
    ("Incident responder for hate-raid nights", "incident-responder"),
    ("Event moderators for a charity marathon", "event-moderator"),
]
DESCRIPTIONS = [
    "We are a friendly {category} channel. You would keep chat **kind and on topic**, "
    "welcome newcomers and handle the odd troll with a warning first.",
    "Our chat moves fast during {category} streams. We need someone calm who knows "
    "*slow mode*, follower-only mode and when to use them.",
    "A small {category} community that values kindness. We run a two-week trial with a "
    "debrief after each stream, and share a rulebook on day one.",
]
REQUIREMENTS = [
    "- Some moderating experience (any channel size)\n- Comfortable with Mod View",
    "- Around for at least two of our streams a week\n- Knows how AutoMod's held messages work",
    "",
]
SCHEDULES = [
    "Fri 20:00-23:00\nSat 20:00-23:00",
    "Weekdays 18:00-21:00",
    "Sat-Sun 14:00-18:00",
    "Tue 19:00-22:00\nThu 19:00-22:00",
    "",
]
MESSAGES = [
    "Hi! I have moderated a mid-size channel for two years and love this community.",
    "I have been a regular in your chat for months and would love to help keep it welcoming.",
    "I run bots for two channels and can set up your commands and timers.",
]
DECLINE_REASONS = ["We chose someone in a closer timezone.", "", "We need more weekday cover."]
# Open most of the time; the rest show every other state of the lifecycle.
STATUS_WEIGHTS = [
    (OpeningStatus.OPEN, 80),
    (OpeningStatus.DRAFT, 4),
    (OpeningStatus.PAUSED, 4),
    (OpeningStatus.FILLED, 6),
    (OpeningStatus.CLOSED, 3),
    (OpeningStatus.EXPIRED, 3),
]
APPLICATION_PATHS = [
    [ApplicationStatus.SUBMITTED],
    [ApplicationStatus.SUBMITTED],
    [ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED],
    [ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED, ApplicationStatus.TRIAL],
    [ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED, ApplicationStatus.ACCEPTED],
    [ApplicationStatus.SUBMITTED, ApplicationStatus.DECLINED],
    [ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN],
]


def seed(ctx: DemoContext) -> None:
    _seed_channels(ctx)
    _seed_openings(ctx)


def _seed_channels(ctx: DemoContext) -> None:
    if Channel.objects.exists():
        ctx.say("Demo channels: already there.")
        return
    rng = ctx.rng
    owners = list(User.objects.select_related("profile").filter(username="demo_streamer")) + list(
        User.objects.select_related("profile")
        .exclude(username__startswith="demo_")
        .order_by("pk")[: ctx.numbers["channels"] - 1]
    )
    languages = list(Language.objects.filter(code__in=["en", "es", "de", "fr", "pt", "ja"]))
    channels = []
    for i, owner in enumerate(progress(owners, total=len(owners), desc="channels")):
        name = NAMES[i % len(NAMES)] + (f" {i // len(NAMES) + 1}" if i >= len(NAMES) else "")
        description = (
            f"A {CATEGORIES[i % len(CATEGORIES)].lower()} channel with a friendly, "
            "tight-knit chat. We value kindness, no spoilers, and **no backseating** unless "
            "asked."
        )
        channels.append(
            Channel(
                owner=owner,
                name=name,
                slug=name.lower().replace(" ", "-").replace("&", "and"),
                twitch_login=name.lower().replace(" ", "_")[:25],
                category=CATEGORIES[i % len(CATEGORIES)],
                typical_viewers=rng.choice([15, 40, 120, 350, 900, 2500]),
                timezone=owner.profile.timezone,
                description=description,
                description_html=render_markdown(description),
            )
        )
    channels = Channel.objects.bulk_create(channels, batch_size=1000)
    Link = Channel.languages.through
    Link.objects.bulk_create(
        [Link(channel_id=c.pk, language_id=rng.choice(languages).pk) for c in channels],
        batch_size=5000,
    )
    ctx.say(f"Demo channels: {len(channels)} created.")


def _weighted_status(rng) -> str:
    pick = rng.randrange(sum(w for _, w in STATUS_WEIGHTS))
    for status, weight in STATUS_WEIGHTS:
        if pick < weight:
            return status
        pick -= weight
    return OpeningStatus.OPEN


def _seed_openings(ctx: DemoContext) -> None:
    if Opening.objects.exists():
        ctx.say("Demo openings: already there.")
        return
    rng = ctx.rng
    sizes = BOARD_SIZES[ctx.size]
    channels = list(Channel.objects.order_by("pk"))
    if not channels:
        return
    roles = {role.slug: role for role in Role.objects.all()}
    languages = list(Language.objects.filter(code__in=["en", "es", "de", "fr", "pt", "ja"]))
    now = timezone.now()
    # Markdown is rendered once per distinct text, not once per row.
    html = {text: render_markdown(text) for text in REQUIREMENTS + MESSAGES}
    description_html = {}

    openings, opening_roles = [], []
    for i in progress(range(sizes["openings"]), total=sizes["openings"], desc="openings"):
        # The first channel (demo_streamer's) gets the first, open, opening.
        channel = channels[0] if i == 0 else channels[rng.randrange(len(channels))]
        title, role_slug = TITLES[i % len(TITLES)]
        status = OpeningStatus.OPEN if i == 0 else _weighted_status(rng)
        category = channel.category or "variety"
        description = DESCRIPTIONS[i % len(DESCRIPTIONS)].format(category=category.lower())
        if description not in description_html:
            description_html[description] = render_markdown(description)
        requirements = REQUIREMENTS[i % len(REQUIREMENTS)]
        published = now - timedelta(days=rng.randrange(0, 45), minutes=rng.randrange(0, 1440))
        today = local_today(channel.timezone, now)
        if status == OpeningStatus.EXPIRED:
            closes_on = today - timedelta(days=rng.randrange(1, 20))
            # Published before it closed, as a real one was.
            published = closing_instant(closes_on, channel.timezone) - timedelta(
                days=rng.randrange(7, 45), minutes=rng.randrange(0, 1440)
            )
        else:
            closes_on = today + timedelta(days=rng.randrange(2, 60))
        schedule_text = SCHEDULES[i % len(SCHEDULES)]
        windows = parse_windows(schedule_text)
        compensation = rng.choice(
            [Compensation.VOLUNTEER] * 6 + [Compensation.PAID, Compensation.OTHER]
        )
        openings.append(
            Opening(
                channel=channel,
                # The channel's name is beside the title wherever it is shown: not in it too.
                title=title,
                description=description,
                description_html=description_html[description],
                requirements=requirements,
                requirements_html=html[requirements],
                schedule=[w.as_json() for w in windows],
                timezone=channel.timezone,
                hours_per_week=rng.choice([3, 4, 6, 8, 10, 15]),
                compensation=compensation,
                compensation_note="$12 an hour" if compensation == Compensation.PAID else "",
                trial_days=rng.choice([None, 7, 14]),
                status=status,
                closes_on=closes_on,
                expires_at=closing_instant(closes_on, channel.timezone),
                published_at=None if status == OpeningStatus.DRAFT else published,
            )
        )
        opening_roles.append([roles[role_slug]] + ([roles["chat-enforcer"]] if i % 3 else []))
    openings = Opening.objects.bulk_create(openings, batch_size=BATCH)

    RoleLink, LanguageLink = Opening.roles.through, Opening.languages.through
    role_links, language_links, slots, questions = [], [], [], []
    for opening, chosen in zip(openings, opening_roles, strict=True):
        for role in {r.pk: r for r in chosen}.values():
            role_links.append(RoleLink(opening_id=opening.pk, role_id=role.pk))
        language_links.append(
            LanguageLink(opening_id=opening.pk, language_id=rng.choice(languages).pk)
        )
        slots.extend(
            OpeningSlot.written(window, opening.timezone, opening_id=opening.pk)
            for window in opening.windows
        )
        questions.append(
            Question(
                opening_id=opening.pk,
                order=1,
                prompt="Why would you like to moderate here?",
                kind=QuestionKind.PARAGRAPH,
            )
        )
        questions.append(
            Question(
                opening_id=opening.pk,
                order=2,
                prompt="How would you handle a chatter who keeps backseating?",
                kind=QuestionKind.SHORT,
                required=False,
            )
        )
    RoleLink.objects.bulk_create(role_links, batch_size=5000)
    LanguageLink.objects.bulk_create(language_links, batch_size=5000)
    OpeningSlot.objects.bulk_create(slots, batch_size=5000)
    Question.objects.bulk_create(questions, batch_size=5000)

    _seed_applications(ctx, openings, sizes["applications"], html)
    ctx.say(f"Demo openings: {len(openings)} created.")


def history_times(rng: Random, *, opening: Opening, now: datetime, steps: int) -> list[datetime]:
    """When each step of an application's history happened: in order, hours or days apart,
    after the opening was published (within the last 30 days), sent before it closed, and
    none in the future, so the page's "sent" date and its history tell one story."""
    since = max(opening.published_at or now, now - timedelta(days=30))
    until = min(now, opening.expires_at) if opening.expires_at else now
    gaps = [timedelta(hours=rng.randrange(2, 48)) for _ in range(steps - 1)]
    total = sum(gaps, timedelta())
    if total > now - since:  # published too recently for these gaps: squeeze them in
        gaps = [gap * ((now - since) / total) for gap in gaps]
        total = now - since
    latest_start = max(since, min(until, now - total))
    first = since + (latest_start - since) * rng.random()
    times = [first]
    for gap in gaps:
        times.append(times[-1] + gap)
    return times


def _seed_applications(ctx: DemoContext, openings: list[Opening], total: int, html) -> None:
    rng = ctx.rng
    public = [o for o in openings if o.status != OpeningStatus.DRAFT]
    owner_of = dict(Channel.objects.values_list("pk", "owner_id"))
    people = list(
        User.objects.exclude(username__in=["demo_streamer", "demo_staff"])
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    demo_mod = User.objects.filter(username="demo_mod").values_list("pk", flat=True).first()
    if not public or not people:
        return
    now = timezone.now()
    pairs: set[tuple[int, int]] = set()
    # demo_streamer's opening gets a handful to review; demo_mod applies to a few openings.
    wanted = [(public[0], pk) for pk in people[:6]]
    wanted += [(o, demo_mod) for o in public[1:6] if demo_mod]
    # A little over the target: pairs drawn twice, or an owner drawn for their own opening,
    # are skipped below.
    while len(wanted) < total * 6 // 5:
        wanted.append((public[rng.randrange(len(public))], people[rng.randrange(len(people))]))
    applications, paths = [], []
    for opening, applicant in progress(wanted, total=len(wanted), desc="applications"):
        key = (opening.pk, applicant)
        if key in pairs or owner_of[opening.channel_id] == applicant or len(pairs) >= total:
            continue
        pairs.add(key)
        path = APPLICATION_PATHS[rng.randrange(len(APPLICATION_PATHS))]
        if applicant == demo_mod:
            path = APPLICATION_PATHS[len(pairs) % len(APPLICATION_PATHS)]
        message = MESSAGES[rng.randrange(len(MESSAGES))]
        reason = rng.choice(DECLINE_REASONS) if path[-1] == ApplicationStatus.DECLINED else ""
        applications.append(
            Application(
                opening_id=opening.pk,
                applicant_id=applicant,
                message=message,
                message_html=html[message],
                answers=[
                    {
                        "question": None,
                        "prompt": "Why would you like to moderate here?",
                        "answer": "I love the community and the streamer's calm style.",
                    },
                ],
                status=path[-1],
                decline_reason=reason,
            )
        )
        paths.append((path, opening, applicant, reason))
    applications = Application.objects.bulk_create(applications, batch_size=BATCH)
    events = []
    for application, (path, opening, applicant, reason) in zip(applications, paths, strict=True):
        times = history_times(rng, opening=opening, now=now, steps=len(path))
        # Sent when its history says it was submitted, last changed at its last step.
        application.created_at, application.updated_at = times[0], times[-1]
        previous = ""
        for step, at in zip(path, times, strict=True):
            actor = (
                applicant if step in ("submitted", "withdrawn") else owner_of[opening.channel_id]
            )
            events.append(
                ApplicationEvent(
                    application_id=application.pk,
                    actor_id=actor,
                    from_status=previous,
                    to_status=step,
                    reason=reason if step == ApplicationStatus.DECLINED else "",
                    created_at=at,
                )
            )
            previous = step
    # bulk_update writes the dates given (auto_now_add stamped "now" on create).
    Application.objects.bulk_update(applications, ["created_at", "updated_at"], batch_size=BATCH)
    ApplicationEvent.objects.bulk_create(events, batch_size=5000)
    # A few reports so the staff queue has something in it.
    reporters = people[-3:]
    OpeningReport.objects.bulk_create(
        [
            OpeningReport(
                opening_id=public[-(n + 1)].pk,
                reporter_id=reporter,
                reason=[ReportReason.SCAM, ReportReason.MONEY, ReportReason.OTHER][n],
                details="It mentions a joining fee in the DMs." if n == 1 else "",
            )
            for n, reporter in enumerate(reporters)
            if owner_of[public[-(n + 1)].channel_id] != reporter
        ]
    )
    ctx.say(f"Demo applications: {len(applications)} created.")
