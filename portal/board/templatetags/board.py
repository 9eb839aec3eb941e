"""Board snippets other apps' pages show, without their views knowing about the board, and
the one way board pages show a moment (``local_time``)."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import dateformat
from django.utils.html import format_html

from portal.accounts.models import User
from portal.board.selectors import open_openings_of
from portal.core.weeks import zone

register = template.Library()


@register.inclusion_tag("board/includes/profile_openings.html")
def open_openings_for(person: User) -> dict:
    """The open openings of a person's channels, for their profile page (one query)."""
    return {"openings": open_openings_of(person=person), "person": person}


@register.simple_tag
def local_time(moment: datetime | None, reader_tz: str, channel_tz: str = "") -> str:
    """One timezone story on every board page: a moment in the reader's timezone, named, with
    the channel's own time in brackets where its timezone differs ("5 Dec 2026, 14:00
    Europe/Berlin (08:00 America/New_York, the channel's time)"). Stored times are UTC."""
    if moment is None:
        return ""
    reader_tz = reader_tz or "UTC"
    local = moment.astimezone(zone(reader_tz))
    shown = format_html(
        '<time datetime="{}">{} {}</time>',
        moment.isoformat(),
        dateformat.format(local, "j M Y, H:i"),
        reader_tz,
    )
    if not channel_tz or channel_tz == reader_tz:
        return shown
    theirs = moment.astimezone(zone(channel_tz))
    # The channel's date only when it is another day than the reader's.
    when = "H:i" if theirs.date() == local.date() else "j M, H:i"
    return format_html(
        '{} <span class="muted">({} {}, the channel\'s time)</span>',
        shown,
        dateformat.format(theirs, when),
        channel_tz,
    )
