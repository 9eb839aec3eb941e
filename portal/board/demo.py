"""Demo channels, owned by demo streamers."""

from __future__ import annotations

from portal.accounts.models import Language, User
from portal.board.models import Channel
from portal.core.demo import DemoContext
from portal.core.progress import progress
from portal.markup import render_markdown

CATEGORIES = ["Just Chatting", "Speedrunning", "Art", "Music", "Retro games", "Strategy",
              "Horror games", "Science & Technology", "Cozy games", "Esports"]  # fmt: skip
NAMES = ["Pixel Harbour", "Night Owl Radio", "The Speedy Snail", "Brushstrokes Live",
         "Cozy Corner", "Dungeon Deep", "Quiet Lab", "Synth Garden", "Retro Rewind",
         "Tactics Table"]  # fmt: skip


def seed(ctx: DemoContext) -> None:
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
