"""Channels: a streamer registers theirs and edits it. An edit moves the channel's version,
which keys the cached cards and opening pages that show it."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from portal.accounts.models import Language, User
from portal.board.models import Channel
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
    channel.full_clean()
    channel.save()
    channel.languages.set(languages)
    return channel


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
