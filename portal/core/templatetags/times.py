"""One way to show a moment in the forums: a compact relative time ("2 h", "3 d", "Mar 4")
as Discourse shows it, in a ``<time datetime=…>`` element whose ``title`` holds the full
date and time in the reader's timezone (their profile's, kept in the session at sign-in:
portal/accounts/theme.py).

Relative text goes stale, so where a time sits inside a cached fragment (a post's block in
templates/forums/topic.html, kept for a day) the tag is called with ``fixed=True``: the text
is then the full date in UTC ("4 Mar 2026, 14:05 UTC"), true whenever and by whomever it is
read, and static/js/when.js turns it into the relative text, with the title in the reader's
own time, in the browser. The fragment is then the same for readers in every timezone, so
its key holds none: keyed on the timezone, each post was kept once per timezone its readers
live in (eight in the demo data), and a topic page read from a cold cache costs twice the
CPU of a warm one. The trade: without JavaScript a reader sees those times in UTC, labelled
so, rather than in their profile's timezone. Everywhere else (topic rows, the index,
notifications: already rendered outside their fragments, for each reader) the relative text
and the reader's own timezone are written by the server and need no script.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html

from portal.accounts.theme import reader_timezone

register = template.Library()

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR
# Past this many days a time reads as a date ("Mar 4"), as on Discourse: "45 d" asks the
# reader to count back.
DAYS_SHOWN = 30
UTC_ZONE = ZoneInfo("UTC")


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _reader_zone(context) -> ZoneInfo:
    """The reader's timezone (their profile's, kept in the session; UTC for a visitor)."""
    return _zone(reader_timezone(context.get("request")))


def compact_relative(moment: datetime, *, now: datetime, zone: ZoneInfo) -> str:
    """ "just now", "5 min", "2 h", "3 d", then "Mar 4" (this year) or "Mar 4, 2025"."""
    seconds = (now - moment).total_seconds()
    if seconds < MINUTE:  # a moment ahead of the clock (another server's) is "just now" too
        return "just now"
    if seconds < HOUR:
        return f"{int(seconds // MINUTE)} min"
    if seconds < DAY:
        return f"{int(seconds // HOUR)} h"
    if seconds < DAYS_SHOWN * DAY:
        return f"{int(seconds // DAY)} d"
    local, today = moment.astimezone(zone), now.astimezone(zone)
    if local.year == today.year:
        return f"{local:%b} {local.day}"
    return f"{local:%b} {local.day}, {local.year}"


def full_date(moment: datetime, zone: ZoneInfo) -> str:
    """ "Wednesday 4 March 2026, 14:05 (Europe/Paris)": the title on hover."""
    local = moment.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M} ({zone.key})"


def full_date_in(moment: datetime, zone_name: str) -> str:
    """The full date in the named timezone (UTC for an empty or unknown one): for a moment
    ahead, where a relative time would not do, and for emails, which have no reader."""
    return full_date(moment, _zone(zone_name or "UTC"))


@register.simple_tag(takes_context=True)
def when_full(context, moment: datetime) -> str:
    """``{% when_full offer.expires_at %}``: the full date and time in the reader's timezone,
    "Sunday 20 December 2026, 14:05 (Europe/Paris)", in a <time> element."""
    return format_html(
        '<time datetime="{}">{}</time>',
        moment.astimezone(ZoneInfo("UTC")).isoformat(),
        full_date(moment, _reader_zone(context)),
    )


@register.simple_tag(takes_context=True)
def reader_day(context, moment: datetime | None, format_string: str = "j M Y") -> str:
    """``{% reader_day offer.expires_at %}``: the day of the moment in the reader's timezone,
    "21 Dec 2026" (Django's date format). For a date in a list: a deadline at 23:30 UTC falls
    on the next day for a reader in Berlin, and a list must say the same day as the offer's
    own page, which gives the full time in the reader's zone."""
    if moment is None:
        return ""
    return dateformat.format(moment.astimezone(_reader_zone(context)), format_string)


@register.simple_tag(takes_context=True)
def when(context, moment: datetime | None, fixed: bool = False) -> str:
    """``{% when post.created_at %}``: the moment as a <time> element (see the module's
    docstring for ``fixed``)."""
    if moment is None:
        return ""
    utc = moment.astimezone(UTC_ZONE)
    if fixed:  # the same for every reader (see the module's docstring)
        return format_html(
            '<time datetime="{}" title="{}" data-when>{} UTC</time>',
            utc.isoformat(),
            full_date(moment, UTC_ZONE),
            f"{utc.day} {utc:%b %Y, %H:%M}",
        )
    zone = _reader_zone(context)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        utc.isoformat(),
        full_date(moment, zone),
        compact_relative(moment, now=timezone.now(), zone=zone),
    )
