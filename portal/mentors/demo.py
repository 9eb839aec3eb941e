"""Demo mentoring: a few mentors (adults by their own word) with offers in several
timezones, and one mentorship under way for demo_mod with goals and a check-in, observed by
demo_staff since demo_mod has not said their age. Those rows are written directly, so they
send no notices or emails; idempotent: nothing is added when any offer exists.

The mentorship's private conversation is started through the service that starts it when a
mentor accepts (``mentorship_conversation_open``: the mentor's greeting, the observer reading
along), and a message from each side goes through the conversations' own service, as the two
would write them, so the mentorship page links to a conversation that reads as one. It is
done once: a mentorship that has its conversation is left alone (and a demo database seeded
before there was one gets it on the next run)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from portal.accounts.models import AgeGroup, Language, Profile, Role, User
from portal.core.demo import DemoContext
from portal.core.schedule import parse_windows
from portal.forums.services.conversations import conversation_add_message
from portal.guides.models import Track
from portal.markup import render_markdown
from portal.mentors.models import CheckIn, CheckInEvery, Goal, Mentor, Mentorship, Status
from portal.mentors.services.conversations import mentorship_conversation_open
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

# After the mentor's greeting, which mentorship_conversation_open writes: (who, message).
CONVERSATION = [
    ("mentee", "Thanks for Thursday! I finished the lockdown checklist. One question: when a "
     "raid starts, do I turn on Shield Mode first or tell the streamer first?"),
    ("mentor", "Shield Mode first: it is one click, and you can turn it off again. Then tell "
     "the streamer in your mod channel what you did and why. We'll walk through your "
     "checklist at our next check-in."),
]  # fmt: skip


def seed(ctx: DemoContext) -> None:
    if Mentor.objects.exists():
        ctx.say("Demo mentors: already there.")
    else:
        seed_mentors(ctx)
    seed_conversation(ctx)


def seed_mentors(ctx: DemoContext) -> None:
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


def seed_conversation(ctx: DemoContext) -> None:
    mentorship = (
        Mentorship.objects.select_related("mentor", "mentee", "observer", "conversation")
        .filter(mentee__username="demo_mod", status=Status.ACTIVE)
        .order_by("pk")
        .first()
    )
    if mentorship is None:
        return
    if mentorship.conversation_id:
        ctx.say("Demo mentoring conversation: already there.")
        return
    with transaction.atomic():
        conversation = mentorship_conversation_open(mentorship)
        if conversation is None:
            ctx.say("Demo mentoring conversation: none (the mentorship has nobody to observe it).")
            return
        for side, body in CONVERSATION:
            conversation_add_message(
                conversation=conversation, author=getattr(mentorship, side), body=body
            )
    ctx.say(f"Demo mentoring conversation: {len(CONVERSATION) + 1} messages.")
