"""The conversation pages: who may read and do what (a permission matrix over every page and
action), what the pages show, and what each costs in queries whatever the data size."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from portal.accounts.services import block_create
from portal.forums.models import Flag, Notification, Post, Status
from portal.forums.permissions import FORUM_MODERATORS
from tests.forums.conversation_helpers import adult, committed, conversation, say
from tests.forums.factories import SettledUserFactory
from tests.forums.pages import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    ana, ben = adult(username="ana"), adult(username="ben")
    observer = adult(username="olive")
    topic = conversation(ana, ben, observers=[observer], purpose="mentorship")
    message = say(topic, ben, "Here is my question for you.")
    staff = SettledUserFactory(username="staffer", is_staff=True, second_factor=True)
    staff.groups.add(Group.objects.get(name=FORUM_MODERATORS))
    blocked = adult(username="blocked")
    block_create(blocker=ana, blocked=blocked)
    return {
        "participant": ana,
        "author": ben,
        "observer": observer,
        "other member": adult(username="other"),
        "blocked person": blocked,
        "staff": staff,
        "anonymous": None,
        "topic": topic,
        "message": message,
    }


def client_of(person) -> Client:
    return Client() if person is None else signed_in(person)


READ = {
    "participant": 200,
    "author": 200,
    "observer": 200,
    "other member": 404,
    "blocked person": 404,
    "staff": 404,
    "anonymous": 302,  # to the sign-in page
}


@pytest.mark.parametrize("who", list(READ))
def test_who_reads_a_conversation(people, who):
    response = client_of(people[who]).get(
        reverse("conversations:detail", args=[people["topic"].pk])
    )
    assert response.status_code == READ[who]
    if response.status_code == 200:
        assert "Here is my question for you." in response.content.decode()


@pytest.mark.parametrize("who", list(READ))
def test_who_reaches_a_message_by_its_address(people, who):
    response = client_of(people[who]).get(
        reverse("conversations:message", args=[people["message"].pk])
    )
    expected = 302 if READ[who] == 200 else READ[who]
    assert response.status_code == expected


def test_staff_read_a_conversation_only_through_an_open_report(people):
    staff, topic = people["staff"], people["topic"]
    url = reverse("conversations:detail", args=[topic.pk])
    assert signed_in(staff).get(url).status_code == 404
    flag = Flag.objects.create(
        post=people["message"], kind=Flag.Kind.REPORT, reason="spam", reporter=people["participant"]
    )
    page = signed_in(staff).get(url)
    assert page.status_code == 200
    assert "because a message in it was reported" in page.content.decode()
    # They read; they don't write.
    sent = signed_in(staff).post(reverse("conversations:reply", args=[topic.pk]), {"body": "Hi"})
    assert sent.status_code == 403
    flag.resolved_at = flag.created_at
    flag.save()
    assert signed_in(staff).get(url).status_code == 404


WRITE = {
    "participant": 302,
    "author": 302,
    "observer": 403,
    "other member": 404,
    "blocked person": 404,
    "staff": 404,
    "anonymous": 302,
}


@pytest.mark.parametrize("who", list(WRITE))
def test_who_writes_in_a_conversation(people, who):
    before = Post.objects.count()
    with committed():
        response = client_of(people[who]).post(
            reverse("conversations:reply", args=[people["topic"].pk]), {"body": "One more thing"}
        )
    assert response.status_code == WRITE[who]
    wrote = people[who] is not None and WRITE[who] == 302
    assert Post.objects.count() == before + int(wrote)


@pytest.mark.parametrize(
    ("who", "status"),
    [("author", 302), ("participant", 403), ("observer", 403), ("other member", 404)],
)
def test_only_its_author_deletes_a_message(people, who, status):
    url = reverse("conversations:message_delete", args=[people["message"].pk])
    assert client_of(people[who]).post(url).status_code == status
    people["message"].refresh_from_db()
    assert (people["message"].status == Status.DELETED) == (status == 302)


def test_a_deleted_message_shows_as_deleted_to_the_others(people):
    signed_in(people["author"]).post(
        reverse("conversations:message_delete", args=[people["message"].pk])
    )
    page = signed_in(people["participant"]).get(
        reverse("conversations:detail", args=[people["topic"].pk])
    )
    text = page.content.decode()
    assert "This message was deleted by its author." in text
    assert "Here is my question for you." not in text


@pytest.mark.parametrize(
    ("who", "status"),
    [("participant", 302), ("author", 403), ("observer", 302), ("other member", 404)],
)
def test_who_reports_a_message(people, who, status):
    url = reverse("conversations:message_report", args=[people["message"].pk])
    response = client_of(people[who]).post(url, {"reason": "spam"})
    assert response.status_code == status
    flags = Flag.objects.filter(post=people["message"], kind=Flag.Kind.REPORT)
    assert flags.exists() == (status == 302)


@pytest.mark.parametrize(
    ("who", "status"),
    [("participant", 302), ("observer", 302), ("other member", 404), ("staff", 404)],
)
def test_who_leaves(people, who, status):
    url = reverse("conversations:leave", args=[people["topic"].pk])
    assert client_of(people[who]).post(url).status_code == status


def test_the_list_shows_ones_conversations_only(people):
    mine = signed_in(people["participant"]).get(reverse("conversations:index")).content.decode()
    assert "About Saturday&#x27;s stream" in mine or "About Saturday's stream" in mine
    theirs = signed_in(people["other member"]).get(reverse("conversations:index"))
    assert "About Saturday" not in theirs.content.decode()
    assert Client().get(reverse("conversations:index")).status_code == 302


def test_the_header_counts_unread_conversations_and_reading_clears_it(people):
    ana = people["participant"]
    client = signed_in(ana)
    header = client.get(reverse("forums:index")).content.decode()
    assert 'aria-label="Messages, 1 unread"' in header
    with committed():
        client.get(reverse("conversations:detail", args=[people["topic"].pk]))
    header = client.get(reverse("forums:index")).content.decode()
    assert "Messages, 1 unread" not in header
    assert not Notification.objects.filter(recipient=ana, read_at__isnull=True).exists()


def test_the_observer_is_named_to_everyone(people):
    page = signed_in(people["author"]).get(
        reverse("conversations:detail", args=[people["topic"].pk])
    )
    assert "This conversation is visible to olive" in page.content.decode()


def test_a_scam_ask_shows_the_warning(people):
    say(people["topic"], people["author"], "Send me your stream key so I can help")
    page = signed_in(people["participant"]).get(
        reverse("conversations:detail", args=[people["topic"].pk])
    )
    assert "seems to ask for stream keys" in page.content.decode()


def test_the_blocked_persons_start_is_refused_in_neutral_words(people):
    response = signed_in(people["blocked person"]).post(
        reverse("conversations:start"),
        {"to": "ana", "title": "Hello there", "body": "Can we talk?"},
    )
    assert response.status_code == 403
    text = response.content.decode()
    assert "You can&#x27;t start a conversation with ana." in text
    assert "block" not in text.split("<main", 1)[1].split("</main>")[0].lower()


def test_starting_a_conversation_from_the_form(people):
    with committed():
        response = signed_in(people["other member"]).post(
            reverse("conversations:start"),
            {"to": "ana, @ben", "title": "Cover for Friday", "body": "Anyone free on Friday?"},
        )
    assert response.status_code == 302
    assert Notification.objects.filter(
        recipient=people["participant"], kind=Notification.Kind.MESSAGE
    ).exists()


def test_an_unknown_name_is_an_error_beside_the_field(people):
    response = signed_in(people["participant"]).post(
        reverse("conversations:start"),
        {"to": "nobody-here", "title": "Cover for Friday", "body": "Anyone free?"},
    )
    assert "No member is called nobody-here." in response.content.decode()


@pytest.fixture
def no_limits(monkeypatch):
    """Large data made in a moment: the posting limits would (rightly) stop it."""
    from portal.forums import limits

    for name in ("check_posting", "check_duplicate", "check_conversation_start"):
        monkeypatch.setattr(limits, name, lambda **kwargs: None)


def _conversations_of(person, count: int, messages: int = 1):
    for n in range(count):
        topic = conversation(person, adult(), title=f"Conversation number {n}")
        for m in range(messages - 1):
            say(topic, person, f"Message {m} in {n}")


@pytest.mark.parametrize("size", [1, 12])
def test_the_list_costs_the_same_whatever_the_number_of_conversations(
    size, django_assert_num_queries, no_limits
):
    """Prevents an N+1: the people of each listed conversation are read for the page at once."""
    person = adult()
    _conversations_of(person, size)
    client = signed_in(person)
    client.get(reverse("conversations:index"))
    # session+user, count, page, people.
    with django_assert_num_queries(4):
        client.get(reverse("conversations:index"))


@pytest.mark.parametrize("messages", [2, 30])
def test_a_conversation_costs_the_same_whatever_its_length(
    messages, django_assert_num_queries, no_limits
):
    """Prevents an N+1: authors and their profiles come with the messages."""
    person = adult()
    _conversations_of(person, 1, messages=messages)
    from portal.forums.models import Topic

    topic = Topic.objects.get(is_private=True)
    client = signed_in(person)
    url = reverse("conversations:detail", args=[topic.pk])
    client.get(url)
    # session+user, topic, place, count, page, people, blocks, read state (page), read state
    # (already read: no write), suspension for the reply box.
    with django_assert_num_queries(10):
        client.get(url)
