"""People and conversations for the conversation tests."""

from __future__ import annotations

from django.test import TestCase

from portal.accounts.models import AgeGroup, User
from portal.forums import services
from portal.forums.models import Topic
from tests.forums.factories import SettledUserFactory


def adult(**kwargs) -> User:
    person = SettledUserFactory(**kwargs)
    person.profile.age_group = AgeGroup.ADULT
    person.profile.save()
    return person


def minor(**kwargs) -> User:
    person = SettledUserFactory(**kwargs)
    person.profile.age_group = AgeGroup.UNDER_18
    person.profile.save()
    return person


def conversation(starter: User, *others: User, **kwargs) -> Topic:
    kwargs.setdefault("title", "About Saturday's stream")
    kwargs.setdefault("body", "Could you cover the first hour?")
    with committed():
        return services.conversation_start(starter=starter, others=list(others), **kwargs)


def committed():
    """Run what the services leave for after the commit (the header's counts, emails) as the
    block ends, as a real request's commit would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def say(topic: Topic, author: User, body: str):
    with committed():
        return services.conversation_add_message(conversation=topic, author=author, body=body)
