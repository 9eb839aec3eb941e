"""People and places the board's tests share: a streamer with a channel, a moderator, and
bystanders for the permission checks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.accounts.services import profile_slots_refresh
from portal.core.schedule import parse_windows
from tests.board.factories import OpeningFactory
from tests.factories import ChannelFactory, UserFactory


def settled(**kwargs):
    """An account old enough not to count as new (new accounts post less)."""
    return UserFactory(date_joined=timezone.now() - timedelta(days=60), **kwargs)


def set_availability(user, text: str, tz: str = "UTC") -> None:
    profile = user.profile
    profile.timezone = tz
    profile.availability = [w.as_json() for w in parse_windows(text)]
    profile.save()
    profile_slots_refresh(profile=profile)


@pytest.fixture
def streamer(db):
    return settled(username="streamer")


@pytest.fixture
def channel(streamer):
    return ChannelFactory(owner=streamer, name="Night Owl Radio", timezone="UTC")


@pytest.fixture
def opening(channel):
    return OpeningFactory(channel=channel, title="Night-shift chat enforcer")


@pytest.fixture
def moderator(db):
    return settled(username="moderator")


@pytest.fixture
def other_moderator(db):
    return settled(username="other_mod")


@pytest.fixture
def other_streamer(db):
    person = settled(username="other_streamer")
    ChannelFactory(owner=person, name="Pixel Harbour")
    return person
