"""Immediate emails for mentions, replies and moderation decisions: sent by a Celery worker after
the post is committed, through the one email pipeline, respecting each person's settings."""

import time

import pytest
from django.core import mail
from django.db import transaction

from portal.digests.models import EmailPreferences
from portal.forums import services
from portal.forums.models import Flag, Notification
from portal.forums.tasks import send_notification_email
from tests.forums.factories import FilterTermFactory, TopicFactory


def wait_for_mail(count: int, timeout: float = 20) -> list:
    deadline = time.monotonic() + timeout
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return mail.outbox


@pytest.mark.celery_worker
def test_a_mention_is_emailed_after_commit_with_a_link_to_the_post(
    celery_worker, member, other_member
):
    topic = TopicFactory()
    post = services.post_create(
        author=member, topic=topic, body=f"@{other_member.username} how do you handle raids?"
    )
    wait_for_mail(2)  # the mention, and the reply to the topic's starter
    [message] = [m for m in mail.outbox if m.to == [other_member.email]]
    assert message.subject == f"[Modhall] {member.username} mentioned you in “{topic.title}”"
    assert f"https://modhall.test/forums/p/{post.pk}/" in message.body
    assert "how do you handle raids?" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<https://modhall.test/email/")
    assert Notification.objects.get(recipient=other_member).emailed_at is not None


@pytest.mark.celery_worker
def test_a_denied_post_emails_its_author_the_reason(celery_worker, member, moderator):
    FilterTermFactory(text="zorblax")
    post = services.post_create(author=member, topic=TopicFactory(), body="zorblax!")
    assert Flag.objects.filter(post=post).exists()
    services.post_deny(post=post, moderator=moderator, reason="Please keep it civil.")
    [message] = wait_for_mail(1)
    assert message.to == [member.email] and "Please keep it civil." in message.body
    assert "decisions about your posts" in message.body  # why they get it (send_email)


@pytest.mark.django_db
def test_replies_are_emailed_to_watchers_once_per_unread_notice(
    member, other_member, django_capture_on_commit_callbacks
):
    topic = TopicFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(author=member, topic=topic, body="First reply")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(author=other_member, topic=topic, body="Second reply")
    to_starter = [m for m in mail.outbox if m.to == [topic.author.email]]
    assert len(to_starter) == 1 and "New reply in" in to_starter[0].subject


@pytest.mark.django_db
def test_no_reply_email_for_someone_who_switched_them_off(
    member, django_capture_on_commit_callbacks
):
    topic = TopicFactory()
    EmailPreferences.objects.create(user=topic.author, email_forum_replies=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.post_create(author=member, topic=topic, body="A reply")
    assert len(callbacks) == 2  # the email task and the header count, both after commit
    assert mail.outbox == []
    assert Notification.objects.get(recipient=topic.author).emailed_at is not None  # done


@pytest.mark.django_db
def test_the_task_returns_early_when_the_notice_is_gone_read_or_hidden(member, moderator):
    topic = TopicFactory()
    with transaction.atomic():  # emails wait for commit, which this block never reaches here
        post = services.post_create(author=member, topic=topic, body="Reply")
        note = Notification.objects.get(recipient=topic.author)
        transaction.set_rollback(True)
    assert not send_notification_email(note.pk)  # rolled back: gone
    post = services.post_create(author=member, topic=topic, body="Reply again")
    mail.outbox.clear()
    note = Notification.objects.get(recipient=topic.author)
    Notification.objects.filter(pk=note.pk).update(emailed_at=None)
    services.post_hide(post=post, moderator=moderator, reason="Spam")
    assert not send_notification_email(note.pk)  # hidden since: nothing to show
    Notification.objects.filter(pk=note.pk).update(read_at=note.created_at)
    assert not send_notification_email(note.pk)
    assert not [m for m in mail.outbox if m.to == [topic.author.email]]
