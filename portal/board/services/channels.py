"""Channels: a streamer registers theirs and edits it. An edit moves the channel's version,
which keys the cached cards and opening pages that show it."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils.text import slugify

from portal.accounts.models import Language, User
from portal.board.models import Channel
from portal.core.once import AlreadyDone, insert_once
from portal.markup import render_markdown


def _unique_slug(name: str) -> str:
    base = slugify(name)[:80] or "channel"
    slug, n = base, 2
    while Channel.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def channel_register(
    *,
    owner: User,
    name: str,
    twitch_login: str,
    category: str = "",
    languages: Iterable[Language] = (),
    typical_viewers: int = 0,
    timezone: str = "UTC",
    description: str = "",
) -> Channel:
    """Register the owner's channel. Registering it again (or the same form sent twice at
    once) is AlreadyDone; a Twitch channel someone else registered, even a moment earlier, is
    refused beside the field, as the form refuses it."""
    channel = Channel(
        owner=owner,
        name=name,
        slug=_unique_slug(name),
        twitch_login=twitch_login.lower(),
        category=category,
        typical_viewers=typical_viewers,
        timezone=timezone,
        description=description,
        description_html=render_markdown(description),
    )
    # The slug is free and the Twitch login once-only: the insert decides both, so a second
    # registration is told apart from a taken name by whose channel is there.
    channel.full_clean(validate_unique=False, validate_constraints=False)
    # Twice more at most: another channel of the same name may take the slug meanwhile.
    for _ in range(3):
        if insert_once(channel):
            channel.languages.set(languages)
            return channel
        registered = (
            Channel.objects.annotate(login=Lower("twitch_login"))
            .filter(login=channel.twitch_login)
            .first()
        )
        if registered is not None and registered.owner_id == owner.pk:
            raise AlreadyDone(f"{registered.name} is already registered.", done=registered)
        if registered is not None:
            raise ValidationError(
                {"twitch_login": "That Twitch channel is already registered here."}
            )
        channel.slug = _unique_slug(name)
    raise ValidationError("Please try again in a moment.")


@transaction.atomic
def channel_update(
    *,
    channel: Channel,
    name: str,
    twitch_login: str,
    category: str,
    languages: Iterable[Language],
    typical_viewers: int,
    timezone: str,
    description: str,
) -> Channel:
    channel.name = name
    channel.twitch_login = twitch_login.lower()
    channel.category = category
    channel.typical_viewers = typical_viewers
    channel.timezone = timezone
    channel.description = description
    channel.description_html = render_markdown(description)
    channel.full_clean()
    channel.version = F("version") + 1  # read back by the save (RETURNING)
    channel.save()
    channel.languages.set(languages)
    return channel
