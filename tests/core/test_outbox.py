"""A broker outage fails no request and loses no email: tasks wait in the outbox."""

import pytest
from django.core import mail
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse
from kombu.exceptions import OperationalError

from portal.core.cache import ResilientRedisCache
from portal.core.models import OutboxTask
from portal.core.outbox import outbox_flush
from portal.forums.tasks import send_notification_email
from tests.forums.factories import SettledUserFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    """Publishing fails the way Celery fails when Redis refuses the connection."""

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_notification_email, "apply_async", refuse)


def test_a_reply_posted_while_the_broker_is_down_succeeds_and_its_email_waits(
    client, broker_down, django_capture_on_commit_callbacks
):
    topic = TopicFactory()
    replier = SettledUserFactory()
    client.force_login(replier)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "Hi"})
    assert response.status_code == 302
    assert topic.posts.filter(author=replier).exists()
    waiting = OutboxTask.objects.get()
    assert waiting.task_name == send_notification_email.name
    assert "Connection refused" in waiting.last_error
    assert mail.outbox == []


def test_the_outbox_is_sent_once_the_broker_is_back(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    topic = TopicFactory()
    client.force_login(SettledUserFactory())

    def refuse(*args, **kwargs):
        raise OperationalError("Connection refused.")

    with monkeypatch.context() as outage:
        outage.setattr(send_notification_email, "apply_async", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("forums:reply", kwargs={"pk": topic.pk}), {"body": "Hi there"})
        assert outbox_flush() == (0, 1)  # still down: it keeps waiting
        assert OutboxTask.objects.get().attempts == 1

    assert outbox_flush() == (1, 0)  # back up (tasks run inline in tests)
    assert not OutboxTask.objects.exists()
    [message] = mail.outbox
    assert message.to == [topic.author.email]


def test_an_unreachable_redis_cache_answers_from_the_process_memory_instead_of_failing():
    # Nothing listens on port 1: every call meets a refused connection, as in an outage.
    from portal.core import cache as resilient

    resilient._paused_until.clear()
    cache = ResilientRedisCache("redis://127.0.0.1:1/0", {})
    try:
        assert cache.get("key", "fallback") == "fallback"
        assert cache.add("key", 1) is True
        assert cache.add("key", 2) is False  # counted in memory: a limit still limits
        assert cache.incr("key") == 2
        cache.set("other", "x")
        assert cache.get_many(["key", "other", "missing"]) == {"key": 2, "other": "x"}
        cache.delete("key")
        assert cache.get("key") is None
    finally:
        resilient._paused_until.clear()
    # The plain backend, by contrast, fails the request.
    with pytest.raises(Exception, match=r"(?i)connect"):
        RedisCache("redis://127.0.0.1:1/0", {}).get("key")


def test_a_flush_cut_short_by_the_broker_does_not_send_anything_twice(monkeypatch):
    from portal.core.tasks import flush_outbox  # any registered task will do

    OutboxTask.objects.bulk_create(
        [OutboxTask(task_name=flush_outbox.name, args=[]) for _ in range(3)]
    )
    calls = []

    def second_call_fails(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise OperationalError("Connection refused.")

    monkeypatch.setattr(flush_outbox, "apply_async", second_call_fails)
    assert outbox_flush() == (1, 2)  # the first went out; the broker fell over on the second
    assert OutboxTask.objects.count() == 2
    assert outbox_flush() == (2, 0)
    assert len(calls) == 4  # 1 sent + 1 refused, then the 2 left: nothing sent twice


def _redis_reachable() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_reachable(), reason="needs Redis on 127.0.0.1:6379")
def test_the_redis_cache_shares_one_client_between_calls_and_threads():
    """One redis.Redis per connection pool (Django makes one per call); threads sharing it
    each still read what they wrote."""
    from concurrent.futures import ThreadPoolExecutor

    cache = ResilientRedisCache("redis://127.0.0.1:6379/15", {})
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)

    def round_trip(n: int) -> bool:
        for i in range(50):
            cache.set(f"shared-client-{n}", (n, i), 30)
            if cache.get(f"shared-client-{n}") != (n, i):
                return False
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(round_trip, range(8)))
    cache.delete_many([f"shared-client-{n}" for n in range(8)])
