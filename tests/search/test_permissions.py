"""Nothing held, hidden, deleted, private, draft or expired appears in any search result or
snippet, for every kind of reader: the header's search and each kind's own search page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from portal.board.models import OpeningStatus
from portal.forums import services
from portal.forums.models import Status
from portal.forums.permissions import FORUM_MODERATORS
from tests.board.factories import OpeningFactory
from tests.forums.factories import PostFactory, SettledUserFactory, TopicFactory

pytestmark = pytest.mark.django_db

WORD = "zebracorn"  # in everything below, so every search for it meets all of it


def _profile(person, *, bio: str, public=True, open_to_moderating=True, active=True):
    profile = person.profile
    profile.bio, profile.bio_html = bio, f"<p>{bio}</p>"
    profile.is_public, profile.open_to_moderating = public, open_to_moderating
    profile.save()
    if not active:
        person.is_active = False
        person.save()


@pytest.fixture
def world():
    """Each thing carries its own marker word beside WORD; the readers who may see it."""
    author, moderator = SettledUserFactory(), SettledUserFactory()
    moderator.groups.add(Group.objects.get(name=FORUM_MODERATORS))
    topic = TopicFactory(title=f"Published {WORD} topic", opening__body=f"{WORD} shownpost")

    def post(body, status, topic=topic):
        return PostFactory(topic=topic, author=author, body=f"{WORD} {body}", status=status)

    post("heldpost", Status.HELD)
    post("hiddenpost", Status.HIDDEN)
    post("deletedpost", Status.DELETED)
    hidden_topic = TopicFactory(
        title=f"Hidden {WORD} hiddentopic", author=author, status=Status.HIDDEN,
        opening__body=f"{WORD} hiddentopicbody",
    )  # fmt: skip
    post("replyinhiddentopic", Status.PUBLISHED, topic=hidden_topic)
    services.search_index_rebuild()
    OpeningFactory(title=f"Open {WORD} shownopening")
    OpeningFactory(title=f"Draft {WORD} draftopening", status=OpeningStatus.DRAFT)
    OpeningFactory(title=f"Removed {WORD} removedopening", status=OpeningStatus.REMOVED)
    OpeningFactory(
        title=f"Lapsed {WORD} expiredopening", expires_at=timezone.now() - timedelta(hours=1)
    )
    OpeningFactory(title=f"Expired {WORD} expiredstatus", status=OpeningStatus.EXPIRED)
    _profile(SettledUserFactory(), bio=f"{WORD} shownperson")
    _profile(SettledUserFactory(), bio=f"{WORD} privateperson", public=False)
    _profile(SettledUserFactory(), bio=f"{WORD} notlooking", open_to_moderating=False)
    _profile(SettledUserFactory(), bio=f"{WORD} goneperson", active=False)
    return {"author": author, "moderator": moderator}


NEVER = {
    *("deletedpost", "draftopening", "removedopening", "expiredopening", "expiredstatus"),
    *("privateperson", "notlooking", "goneperson"),
}
# What each reader may see beyond the published things; the rest must never show.
READERS = {
    "anonymous": set(),
    "member": set(),
    "author": {"heldpost", "hiddenpost", "hiddentopic", "hiddentopicbody", "replyinhiddentopic"},
    "moderator": {
        *("heldpost", "hiddenpost", "hiddentopic", "hiddentopicbody", "replyinhiddentopic"),
    },
}
HIDDEN_FROM_STRANGERS = {
    *("heldpost", "hiddenpost", "hiddentopic", "hiddentopicbody", "replyinhiddentopic"),
}
PAGES = [
    ("search:results", {"q": WORD}),
    ("search:results", {"q": f"{WORD} "}),  # not a prefix search
    ("forums:search", {"q": WORD}),
    ("guides:search", {"q": WORD}),
    ("board:index", {"q": WORD}),
    ("board:moderators", {"q": WORD}),
]


@pytest.mark.parametrize("reader", READERS)
def test_no_reader_finds_what_they_may_not_see(client, world, reader):
    if reader == "member":
        client.force_login(SettledUserFactory())
    elif reader in world:
        client.force_login(world[reader])
    forbidden = NEVER | (HIDDEN_FROM_STRANGERS - READERS[reader])
    for name, params in PAGES:
        response = client.get(reverse(name), params)
        assert response.status_code == 200
        page = response.content.decode()
        shown = {marker for marker in forbidden if marker in page}
        assert not shown, f"{name} showed {shown} to the {reader}"
    everything = client.get(reverse("search:results"), {"q": WORD}).content.decode()
    assert "shownpost" in everything and "shownopening" in everything
    # The moderator directory is a signed-in member's part of the header's search.
    assert ("shownperson" in everything) == (reader != "anonymous")
    for allowed in READERS[reader] - {"hiddentopicbody"}:
        assert allowed in client.get(reverse("forums:search"), {"q": WORD}).content.decode()
