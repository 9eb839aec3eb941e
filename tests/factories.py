"""Typed factories for tests. Each builds rows the way the services would."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from portal.accounts.models import User
from portal.board.models import Channel

TEST_PASSWORD = "a-long-test-passphrase"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(TEST_PASSWORD)


class ChannelFactory(DjangoModelFactory[Channel]):
    class Meta:
        model = Channel

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Channel {n}")
    slug = factory.Sequence(lambda n: f"channel-{n}")
    twitch_login = factory.Sequence(lambda n: f"channel_{n}")
