"""Demo mentoring: a few mentors (adults by their own word) with offers in several
timezones, and one mentorship under way for demo_mod with goals and a check-in, observed by
demo_staff since demo_mod has not said their age. Rows are written directly, so seeding
sends no notices or emails. Idempotent: it returns early when any offer exists."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portal.accounts.models import AgeGroup, Language, Profile, Role, User
from portal.core.demo import DemoContext
from portal.core.schedule import parse_windows
from portal.guides.models import Track
from portal.markup import render_markdown
from portal.mentors.models import CheckIn, CheckInEvery, Goal, Mentor, Mentorship, Status
from portal.mentors.services.offers import mentor_offer_save

OFFERS = [
    ("Europe/Berlin", "Tue 19:00-21:00\nThu 19:00-21:00", ("chat-enforcer", "incident-responder"),
     ("en", "de"), "Eight years on a big German channel. Hate raids are my speciality."),
    ("America/New_York", "Mon 18:00-20:00\nSat 11:00-13:00", ("community-host",), ("en", "es"),
     "I help hosts find their voice: greetings, raids, the tone of a chat."),
    ("Asia/Tokyo", "Wed 20:00-22:00", ("helper-bot-operator",), ("en", "ja"),
     "Bots, commands, channel points: I will show you how I set mine up."),
    ("America/Sao_Paulo", "Sun 15:00-18:00", ("lead-moderator", "chat-enforcer"), ("pt", "en"),
     "I run a team of twelve. Ask me about rulebooks and trials."),
]  # fmt: skip


def seed(ctx: DemoContext) -> None:
    if Mentor.objects.exists():
        ctx.say("Demo mentors: already there.")
        return
    mentee = User.objects.filter(username="demo_mod").first()
    staff = User.objects.filter(username="demo_staff").first()
    # Generated people (not the three named demo accounts), public profiles first.
    people = list(
        User.objects.exclude(username__in=["demo_mod", "demo_streamer", "demo_staff"])
        .filter(profile__is_public=True, is_active=True)
        .order_by("pk")[: len(OFFERS)]
    )
    if mentee is None or staff is None or len(people) < len(OFFERS):
        ctx.say("Demo mentors: no demo people to mentor (seed accounts first).")
        return
    Profile.objects.filter(user__in=[*people, staff]).update(age_group=AgeGroup.ADULT)
    offers = []
    for user, (tz, hours, roles, languages, note) in zip(people, OFFERS, strict=True):
        user.profile.refresh_from_db()
        offers.append(
            mentor_offer_save(
                user=user,
                roles=Role.objects.filter(slug__in=roles),
                languages=Language.objects.filter(code__in=languages),
                timezone=tz,
                windows=parse_windows(hours),
                capacity=3,
                note=note,
                is_open=True,
            )
        )
    now = timezone.now()
    mentor = offers[0]
    mentorship = Mentorship.objects.create(
        mentor=mentor.user,
        mentee=mentee,
        status=Status.ACTIVE,
        message="I froze during my first hate raid. Can you help me get ready for the next?",
        answer_note="Gladly: we will go through the raid guide together.",
        observed=not mentee.profile.is_adult,
        observer=staff if not mentee.profile.is_adult else None,
        checkin_every=CheckInEvery.TWO_WEEKS,
        next_checkin_on=(now + timedelta(days=3)).date(),
        requested_at=now - timedelta(days=12),
        answered_at=now - timedelta(days=11),
    )
    Mentor.objects.filter(pk=mentor.pk).update(active_count=1, completed_count=2)
    track = Track.objects.filter(slug="incident-responder").first()
    Goal.objects.bulk_create(
        [
            Goal(mentorship=mentorship, title="Go through the raid guide together", track=track),
            Goal(
                mentorship=mentorship,
                title="Write a lockdown checklist for my channel",
                done_at=now - timedelta(days=2),
            ),
        ]
    )
    note = "We set up a **Shield Mode** preset and practised it on an offline stream."
    CheckIn.objects.create(
        mentorship=mentorship,
        author=mentor.user,
        note=note,
        note_html=render_markdown(note),
        created_at=now - timedelta(days=4),
    )
    ctx.say(f"Demo mentors: {len(offers)} offers and a mentorship for demo_mod.")
