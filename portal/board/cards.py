"""The board's opening cards as HTML, cached by what they show.

Rendering twenty cards through the template engine was most of the list page's remaining
Python time (about 700 calls a card). A card's HTML depends only on its OpeningCard (every
value it shows, links included) and on the card template, so the cache key is a digest of
exactly those: an edited, closed or removed opening, a renamed channel or language, a newly
verified owner or another reader's "overlaps" flag simply make a different key, and nothing
ever has to be invalidated. Entries nobody asks for again expire after LIFETIME_SECONDS.

Shared by everyone: the same opening looks the same to every reader with the same "overlaps
your availability" answer, so one person's page warms the cache for the next, whatever their
filters or page number.
"""

from __future__ import annotations

import hashlib
from functools import cache as once

from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from portal.board.selectors import OpeningCard

TEMPLATE = "board/includes/opening_card.html"
LIFETIME_SECONDS = 6 * 60 * 60


@once
def _template_digest() -> str:
    """The card template's source, so a deploy that changes it never serves old HTML."""
    template = get_template(TEMPLATE)
    return hashlib.sha256(template.template.source.encode()).hexdigest()[:16]


def _key(card: OpeningCard) -> str:
    # repr() of the frozen dataclass lists every field by name, value and type.
    digest = hashlib.sha256(repr(card).encode()).hexdigest()
    # The language too: month names in the closing date would follow it.
    return f"board:card:{_template_digest()}:{get_language()}:{digest}"


def cards_html(cards: list[OpeningCard]) -> list[SafeString]:
    """Each card's HTML, in order: cached ones in one round trip, the rest rendered and
    stored in one more."""
    keys = [_key(card) for card in cards]
    found = cache.get_many(keys) if keys else {}
    missing = {}
    html = []
    for key, card in zip(keys, cards, strict=True):
        if key not in found:
            found[key] = missing[key] = get_template(TEMPLATE).render({"card": card})
        html.append(mark_safe(found[key]))  # noqa: S308 (our autoescaped template's output)
    if missing:
        cache.set_many(missing, LIFETIME_SECONDS)
    return html
