"""Row locks that make writers take turns must not stop other writers from pointing at the row.

The load test found a deadlock between two replies in one category: each reply locked its
author's account (so one person's posts take turns) and then its category (to recount it);
one reply's notification to the other replier (a row pointing at that person's account)
waited for the account lock while the other waited for the category. A plain FOR UPDATE
blocks the key-share lock PostgreSQL takes to check a foreign key; FOR NO KEY UPDATE does
not, and still makes the lockers take turns. Each test holds a lock in one transaction and
writes a row pointing at the locked row from another, which must not wait.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from portal.forums import services
from portal.forums.models import Notification, Topic
from portal.forums.services.posting import lock_person
from tests.factories import UserFactory
from tests.forums.factories import TopicFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's row locks"),
]


def while_locked(lock, write) -> None:
    """Run ``lock`` in a transaction held open while another connection runs ``write`` with
    a one-second lock timeout; fail if the write had to wait for the lock."""
    locked, done = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def holder():
        try:
            with transaction.atomic():
                lock()
                locked.set()
                done.wait(10)
        except Exception as exc:  # reported below
            errors.append(exc)
            locked.set()
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    locked.wait(10)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '1s'")
            write()
    finally:
        done.set()
        thread.join()
    assert errors == []


def test_a_person_taking_their_turn_to_post_can_still_be_notified():
    topic = TopicFactory()
    replier, watcher = UserFactory(), UserFactory()
    while_locked(
        lambda: lock_person(replier),
        lambda: Notification.objects.create(
            recipient=replier, actor=watcher, topic=topic, kind=Notification.Kind.REPLY
        ),
    )


def test_a_category_being_recounted_still_takes_new_topics():
    topic = TopicFactory()
    category = topic.category
    while_locked(
        lambda: services.category_stats_refresh(category_ids=[category.pk]),
        lambda: Topic.objects.create(
            category=category, author=UserFactory(), title="New", slug="new"
        ),
    )
