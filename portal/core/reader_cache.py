"""The shared part of a page, rendered once for every signed-in reader who sees it alike.

Most people on a busy page are reading, not writing: forty moderators on the same topic see
the same posts, in the same order, with the same links, and differ only in a few places (their
own reactions, their read state, the hidden CSRF field). A page that uses this module splits
itself in two:

* the **shared part**: HTML (and any plain facts the page needs) that depends only on the
  address, the site's content and the reader's *class*: the few facts about a reader that
  change what they may see or do there (forum moderator or not, suspended or not, …). It holds
  *holes* (``hole("name")``) where personal pieces go, and never anything about one person;
* the **personal part**: what fills the holes, worked out for each request with a fixed, small
  number of queries.

A reader whose page would differ in more than the holes (someone who wrote on this page and
sees their own edit links, or their post awaiting review) is not in any class: the page is
built for them alone, with the same code, so cached and uncached pages are the same by
construction, and tests compare the two byte for byte.

Correctness comes from the same *content generation* as the anonymous page cache
(``portal.core.page_cache``): every successful write and every loader moves it on, so a new
post shows to the next reader at once. A short lifetime bounds what changes with time alone
("5 minutes ago", an opening passing its closing date). The key also holds the reader's time
zone and language, which change how dates and words are written.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.backends.utils import csrf_input
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from portal.core import page_cache
from portal.core.page_cache import GENERATION_KEY

# Long enough to share one rendering among a busy evening's readers between two writes;
# short enough that time-relative text ("3 minutes ago") stays right.
LIFETIME_SECONDS = 60
# Bump to drop every shared part at once (a deploy that changes templates changes this).
VERSION = 1

# Comments cannot come from people: titles and names are escaped (``<`` becomes ``&lt;``)
# and Markdown passes through markup.py, whose sanitizer strips comments. So a hole in the
# shared part is always ours.
_HOLE = re.compile(r"<!--hole:([a-z0-9_.-]+)-->")
CSRF = "csrf"


def hole(name: str) -> SafeString:
    """Where a personal piece goes in a shared part, filled by ``fill``."""
    if not _HOLE.fullmatch(f"<!--hole:{name}-->"):
        raise ValueError(f"Not a hole name: {name!r}")
    return mark_safe(f"<!--hole:{name}-->")  # noqa: S308 (a fixed comment, checked above)


def shared[T](name: str, *, vary: tuple, build: Callable[[], T]) -> T:
    """What ``build()`` returns for this page (``name``, with everything in the address that
    changes it) and this class of reader (``vary``), from the cache when a reader of the same
    class built it since the site's content last changed. The value must be picklable and hold
    nothing about one person."""
    if not settings.READER_PAGE_CACHE:
        return build()
    shown_in = (timezone.get_current_timezone_name(), get_language())
    digest = hashlib.blake2b(repr((VERSION, vary, shown_in)).encode(), digest_size=12)
    key = f"reader-page:{name}:{digest.hexdigest()}"
    # The part is kept with the generation it was built in, so one round trip reads both the
    # current generation and the part; a part from an earlier generation is built again.
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY) or page_cache.generation()
    kept = found.get(key)
    if kept is not None and kept[0] == generation:
        return kept[1]
    value = build()
    cache.set(key, (generation, value), LIFETIME_SECONDS)
    return value


def page_number(raw: str | None) -> int:
    """The ``?page=`` of an address as ``Paginator.get_page`` reads it, in one spelling each:
    anything but a whole number is the first page (1), a number below 1 the last (0, which
    ``get_page`` turns into the last page). Pages key their shared parts on it, so ``page=01``
    or ``page=x`` cannot each store a copy of page 1."""
    try:
        number = int(raw or "")
    except ValueError:
        return 1
    return max(number, 0)


def fill(html: str, holes: Mapping[str, str], *, request: HttpRequest) -> SafeString:
    """The shared HTML with each hole replaced by its personal piece. The CSRF hole is filled
    from the request, and only when the part has one: asking for the token sets the CSRF
    cookie. A hole with no piece is a bug in the page, so it raises instead of showing
    nothing."""

    def piece(match: re.Match) -> str:
        name = match.group(1)
        if name == CSRF:
            return csrf_field
        return str(holes[name])

    csrf_field = ""
    if f"<!--hole:{CSRF}-->" in html:
        # What {% csrf_token %} writes; one masked token serves every part of the response.
        csrf_field = getattr(request, "_reader_csrf_field", None) or csrf_input(request)
        request._reader_csrf_field = csrf_field
    # Pieces are HTML we built (escaped templates and format_html) and the shared part is
    # output of our own autoescaped templates.
    return mark_safe(_HOLE.sub(piece, html))  # noqa: S308
