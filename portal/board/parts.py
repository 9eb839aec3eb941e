"""The shared parts of the board's busiest pages: the list and an opening's page
(portal/core/reader_cache.py).

Each is rendered from plain values, without the request, so nothing about one reader can
slip in: what differs between readers is either part of their *class* (signed in or not,
staff or not, whether they told us when they are around, the time zone an opening's hours
are shown in), a *hole* filled per request (each card's "overlaps your availability" mark,
the apply box of someone who applied), or the page is built for them alone (the opening's
owner, and "overlaps my availability" as a filter: which openings show depends on their own
hours). The views decide which; these functions only build.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from portal.board import selectors
from portal.board.cards import cards_html
from portal.board.forms import BoardFilterForm, PublishForm
from portal.board.models import Application
from portal.board.reference import reference
from portal.board.rules import safety_concerns
from portal.core.schedule import ranges_overlap, windows_in_timezone

PAGE_SIZE = 20  # openings on a page of the board (and items on the board's other lists)

# What fills a card's or an opening's "fits" hole for a reader whose hours overlap.
OVERLAPS_BADGE = mark_safe(
    '<p><span class="badge badge-open">Overlaps your availability</span></p>'
)


@dataclass(frozen=True)
class BoardReaders:
    """The facts about a reader that change the board list beyond its holes."""

    signed_in: bool
    is_staff: bool
    has_availability: bool  # else the "overlaps" filter says how to use it


@dataclass(frozen=True)
class BoardPart:
    html: str
    opening_ids: tuple[int, ...]  # the cards shown, each with a "fits-<pk>" hole
    # Their schedules (UTC week minutes), to mark the ones that overlap a reader's hours.
    opening_slots: dict[int, tuple[tuple[int, int], ...]]


def _feed_query(filters: selectors.BoardFilters) -> str:
    """The feeds filter by role and language only; keep those the reader chose."""
    query = urlencode(
        {k: v for k, v in [("role", filters.role), ("language", filters.language)] if v}
    )
    return f"?{query}" if query else ""


def board_part(
    *,
    query: QueryDict,
    readers: BoardReaders,
    reader_slots: tuple[tuple[int, int], ...] | None = None,
) -> BoardPart:
    """The board list for this address (``query``: filters and page number). Only a page
    built for one reader alone passes ``reader_slots``, for "overlaps my availability" as a
    filter."""
    ref = reference()
    form = BoardFilterForm(
        query, roles=ref.roles, languages=ref.languages, signed_in=readers.signed_in
    )
    filters = form.filters()
    openings = selectors.board_openings(filters=filters, reader_slots=reader_slots)
    # Counted and paged as openings (the count needs no joins), then shown as cards.
    page = Paginator(openings, PAGE_SIZE).get_page(query.get("page"))
    page.object_list = selectors.opening_cards(
        rows=selectors.card_rows(page.object_list, filtered=filters.is_filtered), ref=ref
    )
    html = render_to_string(
        "board/index_content.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "cards_html": cards_html(page.object_list),
            "filtered": filters.is_filtered,
            "signed_in": readers.signed_in,
            "is_staff": readers.is_staff,
            "has_availability": readers.has_availability,
            "feed_query": _feed_query(filters),
        },
    )
    ids = tuple(card.pk for card in page.object_list)
    return BoardPart(
        html=html, opening_ids=ids, opening_slots=selectors.opening_slots(opening_ids=ids)
    )


def board_holes(part: BoardPart, reader_slots: tuple[tuple[int, int], ...]) -> dict[str, str]:
    """Each card's "overlaps your availability" mark, for a reader around at these times."""
    no_slots = ()
    return {
        f"fits-{pk}": OVERLAPS_BADGE
        if reader_slots and ranges_overlap(part.opening_slots.get(pk, no_slots), reader_slots)
        else ""
        for pk in part.opening_ids
    }


@dataclass(frozen=True)
class OpeningReaders:
    """The facts about a reader that change an opening's page beyond its holes."""

    signed_in: bool
    is_staff: bool
    reader_tz: str | None  # the hours are shown in it (None: the opening's own, for visitors)
    is_owner: bool = False  # the owner's page is theirs alone: never shared


@dataclass(frozen=True)
class OpeningPart:
    html: str
    title: str
    # The apply box for a signed-in reader who has not applied; for one who has, their own
    # fills the "apply" hole.
    apply_box: str


APPLY_BOX = "board/includes/apply_box.html"


def opening_part(
    *, pk: int, readers: OpeningReaders, publish_form: PublishForm | None = None
) -> OpeningPart:
    opening = selectors.opening_page(pk=pk)
    role_names, language_names = selectors.opening_labels(opening=opening)
    reader_tz = readers.reader_tz or opening.timezone
    context = {
        "opening": opening,
        "role_names": role_names,
        "language_names": language_names,
        "channel": opening.channel,
        "windows": windows_in_timezone(opening.windows, opening.timezone, reader_tz),
        "reader_tz": reader_tz,
        "signed_in": readers.signed_in,
        "is_staff": readers.is_staff,
        "is_owner": readers.is_owner,
    }
    if readers.is_owner:
        context["concerns"] = safety_concerns(
            opening.title, opening.description, opening.requirements, opening.compensation_note
        )
        context["publish_form"] = publish_form or PublishForm()
        context["counts"] = selectors.application_counts(opening=opening)
        context["application_total"] = sum(context["counts"].values())
    return OpeningPart(
        html=render_to_string("board/opening_content.html", context),
        title=f"{opening.title} · {opening.channel.name}",
        apply_box=render_to_string(APPLY_BOX, {"opening": opening, "signed_in": True})
        if readers.signed_in and not readers.is_owner
        else "",
    )


def opening_holes(
    part: OpeningPart, *, fits_my_hours: bool, my_application: Application | None
) -> dict[str, str]:
    """The reader's own pieces: their "overlaps" mark and, once they applied, their
    application in the apply box. Holes a page does not have are simply not used."""
    return {
        "fits": OVERLAPS_BADGE if fits_my_hours else "",
        "apply": render_to_string(APPLY_BOX, {"my_application": my_application})
        if my_application is not None
        else part.apply_box,
    }
