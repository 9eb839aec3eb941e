"""The relevance suite: realistic searches (moderators' words, misspellings, word forms,
phrases, words still being typed) against fixture forum topics and the real guide library,
each with the result that must come first or in the top three. The share met is reported at
the end of the run (tests/search/conftest.py), and every query must pass.

PostgreSQL only: the laptop's SQLite search is a simpler substring match (README)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from portal.forums.selectors import search_posts
from portal.guides.library import load_library
from portal.guides.selectors import lessons_search
from portal.guides.sync import library_sync
from tests.search import conftest
from tests.search.fixtures import forum_fixture

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.IS_POSTGRES, reason="ranking is PostgreSQL's search"),
]

FIRST, TOP3 = 1, 3

# (query, title of the topic whose opening post must be found, where); "reply:" before the
# title asks for the topic's accepted answer instead.
FORUM_QUERIES = [
    ("backseating", "Timeout or ban for a first-time backseater?", FIRST),
    ("backseater", "Timeout or ban for a first-time backseater?", FIRST),
    ("backseat", "Timeout or ban for a first-time backseater?", FIRST),
    ("first time backseat", "Timeout or ban for a first-time backseater?", FIRST),
    ("timout or ban", "Timeout or ban for a first-time backseater?", FIRST),  # a typo
    ("hate raid", "Hate raid at 3am with no other mods online", FIRST),
    ("hate raid alone at night", "Hate raid at 3am with no other mods online", TOP3),
    ("autmod cozy", "AutoMod level for a cozy art channel?", FIRST),  # a typo
    ("automod level", "AutoMod level for a cozy art channel?", FIRST),
    ("spoilers", "Spoilers in chat during a story game", FIRST),
    ("spoiling the ending", "Spoilers in chat during a story game", FIRST),
    ('"free followers"', "Phishing links posing as free followers", FIRST),  # a phrase
    ("phishing link", "Phishing links posing as free followers", FIRST),
    ("streamer overruled ban", "Our streamer overruled a ban live on stream", FIRST),
    ("rulebok", "Writing a rulebook that new mods actually read", FIRST),  # a typo
    ("burnout", "Burnout after a year of nightly streams", FIRST),
    ("nightbot timer", "Nightbot timers versus StreamElements timers", FIRST),
    ("slow mode hype train", "Slow mode during hype trains: helpful or annoying?", FIRST),
    ("self-harm", "Handling a viewer who mentions self-harm in chat", FIRST),
    ("greeting lurkers", "Lurkers and regulars: greeting without spamming", FIRST),
    ("ban appeal", "When do you give a second chance after a ban appeal?", FIRST),
    ("appeals second chance", "When do you give a second chance after a ban appeal?", FIRST),
    ("spanish blocked terms", "Blocked terms list for a Spanish-speaking channel", FIRST),
    ("handoff", "Handoffs between mod shifts went badly", FIRST),  # a word form
    ("doxx", "Doxxing threat against the streamer", FIRST),  # still being typed
    ("giveaway scam", "Giveaway scams in whispers", FIRST),
    ("copypasta", "Copypasta spam waves every Friday", FIRST),
    ("copypas", "Copypasta spam waves every Friday", FIRST),  # still being typed
    # Among equal replies, the accepted answer first.
    ("shield mode followers-only", "reply:Hate raid at 3am with no other mods online", FIRST),
]

# (query, lesson title that must be found, where), against the real library in guides/.
GUIDE_QUERIES = [
    ("hate raid", "Recognising a hate raid early", TOP3),
    ("hate raid", "The hate-raid plan, step by step", TOP3),
    ("held messages", "Working the held-message queue", FIRST),
    ("slow mode", "Slow mode and spam waves", FIRST),
    ("warn time out ban", "Warn, time out, ban", FIRST),
    ("recognizing a raid", "Recognising a hate raid early", TOP3),  # American spelling
    ("burnout", "Burnout and team wellbeing", FIRST),
    ("doxxing", "Doxxing, threats and emergencies", FIRST),
    ("unban requests", "Unban requests and ban evasion", FIRST),
    ('"ban evasion"', "Unban requests and ban evasion", FIRST),
    ("lurkers", "Lurkers, regulars and in-jokes", FIRST),
    ("handoffs", "Handoffs between slots and shift notes", FIRST),
    ("viewer in crisis", "A viewer in crisis", FIRST),
    ("setting up a chat bot", "Setting up a chat bot, end to end", FIRST),
    ("polls predictions", "Polls, predictions and channel points", FIRST),
    ("blocked terms", "Blocked and permitted terms", FIRST),
    ("burnot", "Burnout and team wellbeing", FIRST),  # a typo
    ("welcoming raid", "Welcoming raids", FIRST),
]


def _forum_place(found, topics, wanted: str) -> int | None:
    if wanted.startswith("reply:"):
        topic = topics[wanted.removeprefix("reply:")]
        topic.refresh_from_db(fields=["accepted_answer"])
        target = topic.accepted_answer_id
    else:
        target = topics[wanted].posts.get(is_opening=True).pk
    return next((i + 1 for i, result in enumerate(found) if result.pk == target), None)


def _check(asked, place_of) -> list[str]:
    misses = []
    for query, wanted, within in asked:
        place = place_of(query, wanted)
        if place is None or place > within:
            where = "first" if within == FIRST else f"in the top {within}"
            misses.append(f"{query!r}: {wanted!r} should be {where}, was {place}")
    return misses


def _report(name: str, asked: list, misses: list[str]) -> None:
    conftest.RELEVANCE[name] = (len(asked) - len(misses), len(asked))
    assert not misses, "\n".join(misses)


def test_forum_searches_find_what_moderators_mean():
    topics = {topic.title: topic for topic in forum_fixture().values()}
    reader = AnonymousUser()

    def place_of(query, wanted):
        found = search_posts(viewer=reader, query=query, number=1).object_list
        return _forum_place(found, topics, wanted)

    _report("forums", FORUM_QUERIES, _check(FORUM_QUERIES, place_of))


def test_guide_searches_find_the_lesson_named_for_it():
    library_sync(library=load_library(settings.BASE_DIR / "guides"))

    def place_of(query, wanted):
        titles = [lesson.title for lesson in lessons_search(query=query)[:10]]
        return titles.index(wanted) + 1 if wanted in titles else None

    _report("guides", GUIDE_QUERIES, _check(GUIDE_QUERIES, place_of))
