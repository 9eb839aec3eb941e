"""Demo people: moderators with roles, languages, availability; some streamers."""

from __future__ import annotations

from datetime import date, time

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from portal.accounts.models import AvailabilitySlot, Language, Profile, Role, User
from portal.core.demo import DEMO_PASSWORD, DemoContext
from portal.core.progress import progress
from portal.core.schedule import Window
from portal.markup import render_markdown

FIRST = ["ava", "ben", "chloe", "dev", "emi", "finn", "gia", "hugo", "ines", "jay", "kai",
         "lena", "milo", "nora", "omar", "pia", "quin", "rosa", "sam", "tara", "umar", "vera",
         "wes", "xena", "yuki", "zoe"]  # fmt: skip
SECOND = ["fox", "owl", "wolf", "lynx", "hare", "crow", "bear", "otter", "wren", "moth"]
TIMEZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "America/Chicago",
             "America/Los_Angeles", "America/Sao_Paulo", "Asia/Tokyo", "Australia/Sydney",
             "Asia/Kolkata", "Europe/Madrid"]  # fmt: skip
BIOS = [
    "I mostly keep chat calm during late-night variety streams. Ask me about **AutoMod** setups.",
    "Community host at heart: I greet every raid and learn the regulars' names.",
    "Bot tinkerer. I keep the commands list tidy and the timers quiet.",
    "Lead mod for a mid-size speedrun channel; we run trials for every new mod.",
    "Been through two hate raids and wrote our team's lockdown checklist afterwards.",
]


def demo_username(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]}_{SECOND[(i // len(FIRST)) % len(SECOND)]}{i}"


def seed(ctx: DemoContext) -> None:
    if User.objects.filter(username="demo_mod").exists():
        ctx.say("Demo people: already there.")
        return
    rng = ctx.rng
    password = make_password(DEMO_PASSWORD) if ctx.usable_passwords else make_password(None)
    roles = list(Role.objects.all())
    languages = {language.code: language for language in Language.objects.all()}
    common_languages = [
        languages[c] for c in ("en", "es", "de", "fr", "pt", "ja") if c in languages
    ]

    # Two named accounts a newcomer can log in as (README.md), then many generated ones.
    now = timezone.now()
    names = ["demo_mod", "demo_streamer", "demo_staff"] + [
        demo_username(i) for i in range(ctx.numbers["people"] - 3)
    ]
    users = [
        User(
            username=name,
            email=f"{name}@example.com",
            password=password,
            is_staff=name == "demo_staff",
            date_joined=now,
        )
        for name in names
    ]
    # bulk_create skips User.save, so the profiles are made here in bulk too.
    users = User.objects.bulk_create(users, batch_size=1000)

    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=1000,
    )
    bio_html = [render_markdown(bio) for bio in BIOS]  # rendered once, not per person
    profiles = []
    for i, user in enumerate(progress(users, total=len(users), desc="people")):
        tz = TIMEZONES[i % len(TIMEZONES)]
        start_hour = 16 + rng.randrange(0, 6)
        windows = [
            Window(day, _t(start_hour), _t(start_hour + 3))
            for day in rng.sample(range(7), rng.randrange(2, 6))
        ]
        profiles.append(
            Profile(
                user=user,
                display_name=user.username.replace("_", " ").title(),
                bio=BIOS[i % len(BIOS)],
                bio_html=bio_html[i % len(BIOS)],
                timezone=tz,
                hours_per_week=rng.choice([3, 5, 8, 10, 15]),
                availability=[w.as_json() for w in sorted(windows)],
                channels_moderated=rng.randrange(0, 6),
                moderating_since=date(2018 + rng.randrange(0, 8), rng.randrange(1, 13), 1),
                open_to_moderating=rng.random() < 0.6,
                is_public=rng.random() < 0.9 or user.username.startswith("demo_"),
            )
        )
    profiles = Profile.objects.bulk_create(profiles, batch_size=1000)

    RoleLink = Profile.roles.through
    LanguageLink = Profile.languages.through
    role_links, language_links, slots = [], [], []
    for profile in profiles:
        for role in rng.sample(roles, rng.randrange(1, 3)):
            role_links.append(RoleLink(profile_id=profile.pk, role_id=role.pk))
        for language in rng.sample(common_languages, rng.randrange(1, 3)):
            language_links.append(LanguageLink(profile_id=profile.pk, language_id=language.pk))
        slots.extend(
            AvailabilitySlot.written(window, profile.timezone, profile_id=profile.pk)
            for window in profile.windows
        )
    RoleLink.objects.bulk_create(role_links, batch_size=5000)
    LanguageLink.objects.bulk_create(language_links, batch_size=5000)
    AvailabilitySlot.objects.bulk_create(slots, batch_size=5000)
    ctx.say(f"Demo people: {len(users)} created.")


def _t(hour: int) -> time:
    return time(hour % 24, 0)
