"""Reads on the recruitment board that span relations or permissions, one module per
sub-domain: openings (who may see which, an opening's page), the board list, applications,
find moderators, and the staff's report queue.

Each list is built so a page costs the same number of queries whatever the data size:
select_related for the rows a card shows, prefetch_related for the many-to-many parts, and
one query for anything looked up across the whole page (badges, the reader's own rows).

The names below are the board's read API; callers import them from here.
"""

from portal.board.selectors.applications import (
    ApplicantRow,
    applicant_rows,
    application_counts,
    application_for_viewer,
    applications_for_review,
    applications_of,
    review_neighbours,
)
from portal.board.selectors.board import (
    COUNT_LIMIT,
    PAGE_SIZE,
    Board,
    BoardFilters,
    BoardPaginator,
    OpeningCard,
    board_openings,
    board_page,
    reader_hours,
)
from portal.board.selectors.moderators import (
    DirectoryFilters,
    badge_tracks,
    badges_available,
    guide_badges_for,
    moderator_directory,
)
from portal.board.selectors.openings import (
    OpeningPage,
    channel_openings,
    feed_openings,
    invitable_openings,
    open_openings_of,
    opening_for_owner,
    opening_for_viewer,
    opening_page,
    owner_openings,
    reader_application,
)
from portal.board.selectors.reports import report_for_staff_read, report_queue, staff_reads
from portal.board.selectors.search import Found, moderators_search, openings_search

__all__ = [
    "COUNT_LIMIT",
    "PAGE_SIZE",
    "ApplicantRow",
    "Board",
    "BoardFilters",
    "BoardPaginator",
    "DirectoryFilters",
    "Found",
    "OpeningCard",
    "OpeningPage",
    "applicant_rows",
    "application_counts",
    "application_for_viewer",
    "applications_for_review",
    "applications_of",
    "badge_tracks",
    "badges_available",
    "board_openings",
    "board_page",
    "channel_openings",
    "feed_openings",
    "guide_badges_for",
    "invitable_openings",
    "moderator_directory",
    "moderators_search",
    "open_openings_of",
    "opening_for_owner",
    "opening_for_viewer",
    "opening_page",
    "openings_search",
    "owner_openings",
    "reader_application",
    "reader_hours",
    "report_for_staff_read",
    "report_queue",
    "review_neighbours",
    "staff_reads",
]
