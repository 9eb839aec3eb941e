"""The board's opening cards as HTML, cached by what they show (portal.core.fragments).

Rendering twenty cards through the template engine was most of the list page's remaining
Python time (about 700 calls a card). A card's HTML depends only on its OpeningCard (every
value it shows, links included), so an edited, closed or removed opening, a renamed channel
or language, or a newly verified owner simply make a different key, and nothing ever has to
be invalidated.

Shared by everyone: a card holds a hole where the reader's own "overlaps your availability"
mark goes (filled per request, board/parts.py), so one person's page warms the cache for
the next, whatever their filters or page number.
"""

from __future__ import annotations

from django.utils.safestring import SafeString

from portal.board.selectors import OpeningCard
from portal.core.fragments import fragment_key, render_cached

TEMPLATE = "board/includes/opening_card.html"
LIFETIME_SECONDS = 6 * 60 * 60


def card_key(card: OpeningCard) -> str:
    return fragment_key(TEMPLATE, {"card": card})


def cards_html(cards: list[OpeningCard]) -> list[SafeString]:
    """Each card's HTML, in order: cached ones in one round trip, the rest rendered and
    stored in one more."""
    return render_cached(TEMPLATE, [{"card": card} for card in cards], lifetime=LIFETIME_SECONDS)
