"""Demo data: verified moderation histories on a few demo moderators (so `make run` shows them
on profiles, in the directory and on applications), and the Twitch accounts of the stand-in
Twitch (tests/twitch_stand_in.py) that the demo accounts are connected to, so the flows can be
tried on a laptop (README, "Twitch")."""

from __future__ import annotations

from datetime import timedelta

# The stand-in's accounts. "modhall" names the demo account connected to it (by Twitch id,
# like a real connection); "moderates" lists the channels (ids) it moderates; "vips" the VIPs
# of its own channel. demo_streamer's channel on the board is Pixel Harbour.
STAND_IN_ACCOUNTS = [
    {"id": "2001", "login": "pixel_harbour", "name": "Pixel Harbour", "modhall": "demo_streamer",
     "vips": ["1003"]},
    {"id": "2002", "login": "night_owl_radio", "name": "Night Owl Radio"},
    {"id": "2003", "login": "the_speedy_snail", "name": "The Speedy Snail"},
    {"id": "2004", "login": "cozy_corner", "name": "Cozy Corner"},
    {"id": "1001", "login": "demo_mod", "name": "demo_mod", "modhall": "demo_mod",
     "moderates": ["2001", "2002", "2003", "2004"]},
    {"id": "1002", "login": "quiet_keeper", "name": "QuietKeeper", "modhall": "first_demo_person",
     "moderates": ["2001"]},
    {"id": "1003", "login": "lurking_vip", "name": "LurkingVip"},
    {"id": "1004", "login": "steady_hand", "name": "SteadyHand", "moderates": ["2001"]},
]  # fmt: skip

CHANNEL_NAMES = [
    ("Pixel Harbour", "pixel_harbour"),
    ("Night Owl Radio", "night_owl_radio"),
    ("The Speedy Snail", "the_speedy_snail"),
    ("Cozy Corner", "cozy_corner"),
    ("Dungeon Deep", "dungeon_deep"),
    ("Synth Garden", "synth_garden"),
    ("Retro Rewind", "retro_rewind"),
]
# How many generated moderators get a verified history besides demo_mod.
VERIFIED_PEOPLE = 6


def seed(ctx) -> None:
    from allauth.socialaccount.models import SocialAccount
    from django.utils import timezone

    from portal.accounts.demo import demo_username
    from portal.accounts.models import User
    from portal.twitch.models import ModeratedChannel, ModerationHistory

    if ModerationHistory.objects.exists():
        ctx.say("Demo moderation histories: already there.")
        return
    rng = ctx.rng
    names = {a["modhall"]: a for a in STAND_IN_ACCOUNTS if a.get("modhall")}
    names[demo_username(0)] = names.pop("first_demo_person")
    users = {u.username: u for u in User.objects.filter(username__in=list(names))}
    SocialAccount.objects.bulk_create(
        SocialAccount(
            user=users[name],
            provider="twitch",
            uid=account["id"],
            extra_data={"id": account["id"], "login": account["login"]},
        )
        for name, account in names.items()
        if name in users
    )
    generated = list(
        User.objects.filter(profile__open_to_moderating=True, profile__is_public=True)
        .exclude(username__startswith="demo_")
        .order_by("pk")[:VERIFIED_PEOPLE]
    )
    people = [users["demo_mod"], *generated] if "demo_mod" in users else generated
    now = timezone.now()
    made = 0
    for i, person in enumerate(people):
        chosen = CHANNEL_NAMES[:4] if i == 0 else rng.sample(CHANNEL_NAMES, rng.randrange(1, 6))
        history = ModerationHistory.objects.create(
            user=person,
            status="checked",
            checked_at=now - timedelta(days=rng.randrange(0, 40)),
            channel_count=len(chosen),
            show_channels=i % 3 != 2,
        )
        ModeratedChannel.objects.bulk_create(
            ModeratedChannel(
                history=history,
                broadcaster_id=str(2001 + CHANNEL_NAMES.index((name, login))),
                broadcaster_login=login,
                broadcaster_name=name,
                # One hidden channel on some, to show that only their owner sees it.
                hidden=n == 1 and i % 2 == 1,
            )
            for n, (name, login) in enumerate(chosen)
        )
        made += 1
    ctx.say(f"Demo moderation histories: {made} verified.")
