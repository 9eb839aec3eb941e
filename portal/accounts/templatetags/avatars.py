"""``{% avatar name picture seed %}``: a person's picture, or their initials in a tinted
circle (pure HTML and CSS, no image), beside their name. The name is always written next to
it, so the picture is decorative to a screen reader (empty alt, initials hidden).

It takes plain values, not the person, so that lists which read people's names and pictures
as columns (topic rows) draw it without loading anyone's row."""

from __future__ import annotations

from django import template
from django.core.files.storage import default_storage
from django.utils.html import format_html

from portal.accounts.avatars import initials, initials_tint

register = template.Library()

SIZES = {"small": 24, "medium": 40, "large": 96}


@register.simple_tag
def avatar(name: str, picture, seed, size: str = "medium") -> str:
    pixels = SIZES[size]
    stored = getattr(picture, "name", picture) or ""
    if stored:
        return format_html(
            '<img class="avatar avatar-{}" src="{}" alt="" width="{}" height="{}" loading="lazy">',
            size,
            default_storage.url(stored),
            pixels,
            pixels,
        )
    return format_html(
        '<span class="avatar avatar-{} avatar-initials avatar-tint-{}" aria-hidden="true">'
        "{}</span>",
        size,
        initials_tint(seed),
        initials(str(name or "")),
    )
