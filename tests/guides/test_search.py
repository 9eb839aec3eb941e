"""Searching the lessons: ranked full text on PostgreSQL, every word on SQLite."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from portal.guides.models import Lesson
from portal.guides.selectors import lessons_search, search_snippet
from tests.guides.conftest import sync, write_lesson

pytestmark = pytest.mark.django_db


def search(client, query, **params):
    return client.get(reverse("guides:search"), {"q": query, **params}).content.decode()


def test_search_finds_lessons_and_shows_their_track_and_a_snippet(client, library):
    text = search(client, "held-message-queue")
    assert "1 lesson matches “held-message-queue”" in text
    assert "The <mark>held</mark> <mark>queue</mark>" in text  # the words found, marked
    assert 'in <a href="/guides/chat-enforcer/">Chat Enforcer</a>' in text
    assert "<mark>" in text


def test_search_matches_every_word(library):
    assert list(lessons_search(query="moderation reminders")) != []
    assert list(lessons_search(query="moderation xylophone")) == []


def test_search_without_words_or_matches_says_so(client, library):
    assert "Type a word or two" in search(client, "")
    assert "No lessons match “xylophone”" in search(client, "xylophone")


def test_retired_lessons_are_not_found(library):
    Lesson.objects.filter(pk=library.queue.pk).update(is_retired=True)
    assert library.queue not in list(lessons_search(query="moderation"))


def test_results_are_paginated(client, library):
    for i in range(12):
        write_lesson(library.dir, "start-here", f"{i + 10:02d}-extra-{i}.md")
    sync(library.dir)
    first = search(client, "moderation")
    assert "16 lessons match" in first and "Page 1 of 2" in first
    second = search(client, "moderation", page=2)
    assert "Page 2 of 2" in second and 'start="11"' in second


def test_snippets_are_escaped_and_highlighted(library):
    lesson = Lesson.objects.get(pk=library.ladder.pk)
    lesson.body_text = "Never type <b>bold</b> claims; reminders come first."
    snippet = str(search_snippet(lesson, "reminders"))
    assert "&lt;b&gt;bold&lt;/b&gt;" in snippet
    assert "<mark>reminders</mark>" in snippet


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="ranking is PostgreSQL's full-text search")
def test_a_title_match_ranks_above_a_passing_mention(library):
    write_lesson(library.dir, "start-here", "03-a-mention.md", body="## Hi\n\nUse slow mode.\n")
    write_lesson(library.dir, "chat-enforcer", "09-slow-mode.md", title="Slow mode")
    sync(library.dir)
    titles = [lesson.title for lesson in lessons_search(query="slow mode")]
    assert titles[0] == "Slow mode" and "A mention" in titles
