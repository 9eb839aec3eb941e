"""What the forum tests share: a word list made of fictional tokens (the shipped lists are
tested on their own), a forum moderator and settled members."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from portal.forums.hold import load_wordlists
from portal.forums.permissions import FORUM_MODERATORS
from tests.forums.factories import SettledUserFactory

# Fictional tokens only: the repository never holds slurs, and these can't be mistaken for one.
TEST_WORDLISTS = {
    "race": "1 zorblax\n3 gribnox*\n",
    "aggression": "2 vexfire\n4 *threatnik\n",
    "bullying": "3 you plonkwit\n",
    "swearing": "1 frell*\n",
}


@pytest.fixture(autouse=True)
def wordlists(settings, tmp_path):
    folder = tmp_path / "wordlists"
    folder.mkdir()
    for name, text in TEST_WORDLISTS.items():
        (folder / f"{name}.txt").write_text(text)
    settings.FORUMS_WORDLISTS_DIR = folder
    yield folder
    load_wordlists.cache_clear()


@pytest.fixture
def member(db):
    return SettledUserFactory()


@pytest.fixture
def other_member(db):
    return SettledUserFactory()


@pytest.fixture
def moderator(db):
    # Forum moderators sign in with a second factor, as their tools require.
    person = SettledUserFactory(second_factor=True)
    person.groups.add(Group.objects.get(name=FORUM_MODERATORS))
    return person
