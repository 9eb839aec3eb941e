"""Reads for the guides pages, each at a fixed number of queries.

Whether the library has 5 lessons or 500 and the site 1 reader or 10,000, a page makes the
same queries: one per kind of row it shows, never one per lesson or per reader (the tests
pin the counts). A reader's own progress is always looked up by their user, never by an id
from the request, so nobody sees anyone else's.

One module per part of the guides: the index (index.py), a track (tracks.py), a lesson
(lessons.py), knowledge checks and badges (checks.py), search (search.py), the staff's
feedback page (feedback.py), a reader's own reflection journal (journal.py) and the glossary
(pages.py). What a reader has done on a lesson, track or check page is read in one
hand-written statement per page (own.py, with the benchmark that justifies it). Callers use
them through this package (``selectors.lesson_page``), which names every read a page may make.

What is the same for every reader (a lesson's body, header and pager, a track's card, a
blank form or check question) is a ``{% cache %}`` fragment in the templates, keyed on the
versions of the rows it shows (a track's ``version``, a lesson's ``content_hash``, a check's
``questions_hash``); a read that only such a fragment needs (a lesson's neighbours) is made
lazily, so a page whose fragments are kept skips it.
"""

from portal.guides.selectors.checks import (
    CheckResults,
    Reread,
    ResultItem,
    TrackCheckPage,
    badges_for,
    certificate_get,
    check_results,
    next_paper,
    track_check_page,
)
from portal.guides.selectors.feedback import (
    feedback_comments,
    lessons_due_for_review,
    lessons_with_helpfulness,
)
from portal.guides.selectors.index import (
    CardReading,
    LibraryIndex,
    LibraryReading,
    TrackCard,
    library_cards,
    library_index,
    library_reading,
    library_versions,
    tracks_for_roles,
)
from portal.guides.selectors.journal import journal_page
from portal.guides.selectors.lessons import (
    LessonPage,
    LessonReading,
    lesson_get,
    lesson_page,
    lesson_reading,
)
from portal.guides.selectors.pages import library_page_get
from portal.guides.selectors.progress import TrackStanding, assigned_progress
from portal.guides.selectors.search import (
    highlight,
    lessons_search,
    search_snippet,
    suggested_tracks,
)
from portal.guides.selectors.tracks import LessonRow, TrackPage, track_get, track_page

__all__ = [
    "CardReading",
    "CheckResults",
    "LessonPage",
    "LessonReading",
    "LessonRow",
    "LibraryIndex",
    "LibraryReading",
    "Reread",
    "ResultItem",
    "TrackCard",
    "TrackCheckPage",
    "TrackPage",
    "TrackStanding",
    "assigned_progress",
    "badges_for",
    "certificate_get",
    "check_results",
    "feedback_comments",
    "highlight",
    "journal_page",
    "lesson_get",
    "lesson_page",
    "lesson_reading",
    "lessons_due_for_review",
    "lessons_search",
    "lessons_with_helpfulness",
    "library_cards",
    "library_index",
    "library_page_get",
    "library_reading",
    "library_versions",
    "next_paper",
    "search_snippet",
    "suggested_tracks",
    "track_check_page",
    "track_get",
    "track_page",
    "tracks_for_roles",
]
