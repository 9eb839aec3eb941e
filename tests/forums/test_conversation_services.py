"""Starting and writing in private conversations: who may, the limits, what people hear."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.accounts.services import block_create
from portal.core.limits import RateLimited
from portal.forums import services
from portal.forums.models import Category, Notification, Participant, Post, Status, Topic
from portal.forums.services.conversations import AGE_LINE, LINKS_WAIT, MAX_PEOPLE
from tests.forums.conversation_helpers import adult, committed, conversation, minor, say
from tests.forums.factories import SettledUserFactory

pytestmark = pytest.mark.django_db


def refresh(person):
    person.refresh_from_db()
    return person


def test_a_conversation_is_a_private_topic_with_its_people():
    ana, ben = adult(), adult()
    topic = conversation(ana, ben)
    assert topic.is_private and topic.category.is_private
    assert set(topic.participants.values_list("user_id", flat=True)) == {ana.pk, ben.pk}
    assert topic.posts.get().body == "Could you cover the first hour?"


def test_a_conversation_is_in_no_public_read():
    ana, ben = adult(), adult()
    topic = conversation(ana, ben)
    assert not Topic.objects.published().filter(pk=topic.pk).exists()
    assert not Topic.objects.visible_to(ana).filter(pk=topic.pk).exists()
    assert not Post.objects.published().filter(topic=topic).exists()
    assert not Post.objects.visible_to(ana).filter(topic=topic).exists()
    assert not Category.objects.public().filter(pk=topic.category_id).exists()
    assert Topic.objects.private_for(ben).filter(pk=topic.pk).exists()
    assert not Topic.objects.private_for(SettledUserFactory()).filter(pk=topic.pk).exists()


def test_the_others_are_told_and_emailed_and_counted_in_the_header():
    ana, ben = adult(), adult()
    conversation(ana, ben)
    note = Notification.objects.get(recipient=ben)
    assert note.kind == Notification.Kind.MESSAGE
    assert refresh(ben).unread_conversations == 1
    assert refresh(ana).unread_conversations == 0
    assert [m.to for m in mail.outbox] == [[ben.email]]
    assert "wrote to you" in mail.outbox[0].subject


def test_the_private_messages_switch_stops_the_email():
    from portal.digests.mail import preferences_for

    ana, ben = adult(), adult()
    preferences = preferences_for(ben)
    preferences.email_messages = False
    preferences.save()
    conversation(ana, ben)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=ben).exists()


def test_messages_to_one_conversation_are_gathered_into_one_notice():
    ana, ben = adult(), adult()
    topic = conversation(ana, ben)
    say(topic, ana, "And the raid?")
    note = Notification.objects.get(recipient=ben)
    assert note.count == 2
    assert refresh(ben).unread_conversations == 1


def test_a_reply_makes_it_unread_for_the_starter():
    ana, ben = adult(), adult()
    topic = conversation(ana, ben)
    say(topic, ben, "Sure, I can.")
    assert refresh(ana).unread_conversations == 1
    assert refresh(ben).unread_conversations == 0


def test_at_most_ten_people():
    ana = adult()
    others = [adult() for _ in range(MAX_PEOPLE)]
    with pytest.raises(PermissionDenied, match="at most 10"):
        conversation(ana, *others)
    conversation(ana, *others[: MAX_PEOPLE - 1])


def test_an_adult_cannot_start_one_with_someone_under_18_nor_the_other_way():
    grown, young, unsaid = adult(), minor(), SettledUserFactory()
    for starter, other in [(grown, young), (young, grown), (grown, unsaid)]:
        with pytest.raises(PermissionDenied) as refused:
            conversation(starter, other)
        assert str(refused.value) == AGE_LINE
    conversation(young, unsaid)  # not saying counts as under 18


def test_a_mentorship_with_an_observer_may_cross_the_age_line():
    mentor, mentee, observer = adult(), minor(), adult()
    with pytest.raises(PermissionDenied):
        conversation(mentor, mentee, purpose="mentorship")
    topic = conversation(mentor, mentee, purpose="mentorship", observers=[observer])
    place = Participant.objects.get(topic=topic, user=observer)
    assert place.is_observer
    assert Topic.objects.private_for(observer).filter(pk=topic.pk).exists()
    # Observers read; they are not told of every message, and do not write.
    assert not Notification.objects.filter(recipient=observer).exists()
    with pytest.raises(PermissionDenied, match="Observers read"):
        say(topic, observer, "Hello!")


@pytest.mark.parametrize("way", ["blocker starts", "blocked starts"])
def test_a_block_either_way_refuses_in_neutral_words(way):
    ana, ben = adult(), adult()
    block_create(blocker=ana, blocked=ben)
    starter, other = (ana, ben) if way == "blocker starts" else (ben, ana)
    with pytest.raises(PermissionDenied) as refused:
        conversation(starter, other)
    assert str(refused.value) == f"You can't start a conversation with {other.username}."
    assert "block" not in str(refused.value).lower()


def test_a_block_since_stops_a_conversation_of_two():
    ana, ben = adult(), adult()
    topic = conversation(ana, ben)
    block_create(blocker=ana, blocked=ben)
    with pytest.raises(PermissionDenied, match="takes no new messages"):
        say(topic, ben, "Hello again")


def test_in_a_group_the_blocker_is_not_told_of_the_blocked_persons_messages():
    ana, ben, cat = adult(), adult(), adult()
    topic = conversation(ana, ben, cat)
    block_create(blocker=cat, blocked=ben)
    Notification.objects.all().delete()
    say(topic, ben, "Anyone around?")
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [ana.pk]


def test_a_new_account_cannot_send_links_yet():
    newcomer = adult(date_joined=timezone.now() - timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        conversation(newcomer, adult(), body="Look at https://example.com/prize")
    assert refused.value.message_dict["body"] == [LINKS_WAIT]
    assert not Topic.objects.filter(is_private=True).exists()


def test_a_new_account_starts_few_conversations():
    newcomer = adult(date_joined=timezone.now() - timedelta(days=1))
    conversation(newcomer, adult(), body="Hi one")
    conversation(newcomer, adult(), body="Hi two")
    with pytest.raises(RateLimited, match="2 new conversations an hour"):
        conversation(newcomer, adult(), body="Hi three")


def test_only_participants_write():
    ana, ben = adult(), adult()
    topic = conversation(ana, ben)
    with pytest.raises(PermissionDenied, match="not in this conversation"):
        services.conversation_add_message(conversation=topic, author=adult(), body="Me too")


def test_leaving_ends_access_and_clears_the_notices():
    ana, ben = adult(), adult()
    topic = conversation(ana, ben)
    with committed():
        services.conversation_leave(conversation=topic, person=ben)
    assert not Topic.objects.private_for(ben).filter(pk=topic.pk).exists()
    assert refresh(ben).unread_conversations == 0
    assert refresh(ben).unread_notifications == 0
    with pytest.raises(PermissionDenied):
        say(topic, ben, "Back again")


def test_deleting_ones_message_keeps_its_place_but_not_its_text():
    ana, ben = adult(), adult()
    topic = conversation(ana, ben)
    message = say(topic, ana, "Oops, typo")
    with pytest.raises(PermissionDenied):
        services.message_delete(message=message, person=ben)
    services.message_delete(message=message, person=ana)
    message.refresh_from_db()
    assert message.status == Status.DELETED
    assert "typo" not in message.body and message.body_html == ""


def test_a_mention_by_someone_blocked_tells_nobody(member, other_member):
    from tests.forums.factories import TopicFactory

    block_create(blocker=other_member, blocked=member)
    topic = TopicFactory()
    services.post_create(author=member, topic=topic, body=f"@{other_member.username} look")
    assert not Notification.objects.filter(recipient=other_member).exists()
