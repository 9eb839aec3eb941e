"""A reported private message, from the moderators' side: the links that lead to it (the
review queue, the author's moderation notice and its email) reach the conversation, for the
people allowed to read it and nobody else; staff and forum moderators read it only while the
report is open, and every page they are shown is logged."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from portal.forums import services
from portal.forums.models import ConversationRead, Flag, Notification
from portal.forums.permissions import FORUM_MODERATORS
from tests.forums.conversation_helpers import adult, committed, conversation, say
from tests.forums.factories import SettledUserFactory
from tests.forums.pages import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported():
    """Ana and Ben's conversation, with Ben's message reported by Ana and waiting in the
    queue; a forum moderator who is staff, a forum moderator who is not, and a stranger."""
    ana, ben = adult(username="ana"), adult(username="ben")
    topic = conversation(ana, ben)
    message = say(topic, ben, "Send me your stream key and I'll fix your overlay.")
    flag = services.post_report(post=message, reporter=ana, reason="spam", details="a scam")
    staff = SettledUserFactory(username="staffer", is_staff=True, second_factor=True)
    staff.groups.add(Group.objects.get(name=FORUM_MODERATORS))
    moderator = adult(username="mod", second_factor=True)
    moderator.groups.add(Group.objects.get(name=FORUM_MODERATORS))
    return {
        "ana": ana,
        "ben": ben,
        "topic": topic,
        "message": message,
        "flag": flag,
        "staff": staff,
        "moderator": moderator,
        "stranger": adult(username="stranger"),
    }


def queue_link(client, message) -> str:
    """The link the review queue gives the reported message."""
    page = client.get(reverse("forums:queue")).content.decode()
    item = page[page.index("Reported:") :]
    return re.search(r'Reply in <a href="([^"]+)"', item).group(1)


def test_the_queues_link_to_a_reported_message_opens_the_conversation(reported):
    client = signed_in(reported["staff"])
    response = client.get(queue_link(client, reported["message"]), follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == f"/messages/{reported['topic'].pk}/"
    page = response.content.decode()
    assert "because a message in it was reported" in page
    assert "Send me your stream key" in page


def test_the_authors_moderation_notice_and_its_email_lead_to_the_conversation(reported):
    mail.outbox.clear()
    with committed():
        services.post_hide(
            post=reported["message"], moderator=reported["moderator"], reason="Asks for a key."
        )
    notice = Notification.objects.get(recipient=reported["ben"], kind="moderation")
    ben = signed_in(reported["ben"])

    listed = ben.get(reverse("forums:notifications")).content.decode()
    # A private message is no forum post: the link says where it leads.
    link = re.search(r'Asks for a key\.\s*<a href="([^"]+)">See the message</a>', listed).group(1)
    assert link == notice.get_absolute_url()
    response = ben.get(link, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == f"/messages/{reported['topic'].pk}/"
    page = response.content.decode()
    # Ben sees his message, marked hidden with the reason; nobody else sees it now.
    assert "Send me your stream key" in page
    assert "Hidden by a forum moderator. Reason: Asks for a key." in page
    assert (
        "Send me your stream key"
        not in signed_in(reported["ana"]).get(f"/messages/{reported['topic'].pk}/").content.decode()
    )

    (email,) = [m for m in mail.outbox if m.to == [reported["ben"].email]]
    emailed = re.search(r"https?://[^/\s]+(/\S+)", email.body).group(1)
    assert ben.get(emailed, follow=True).status_code == 200


@pytest.mark.parametrize("who", ["stranger", "ana"])
def test_the_forum_address_of_a_private_message_tells_a_stranger_nothing(reported, who):
    url = reverse("forums:post", args=[reported["message"].pk])
    response = signed_in(reported[who]).get(url, follow=True)
    assert response.status_code == (404 if who == "stranger" else 200)


def test_each_page_read_through_a_report_is_logged(reported):
    url = f"/messages/{reported['topic'].pk}/"
    for reader in ("staff", "moderator"):
        assert signed_in(reported[reader]).get(url).status_code == 200
    reads = list(ConversationRead.objects.order_by("pk"))
    assert [(r.reader, r.topic, r.report, r.page) for r in reads] == [
        (reported["staff"], reported["topic"], reported["flag"], 1),
        (reported["moderator"], reported["topic"], reported["flag"], 1),
    ]
    # The people in the conversation read it as their own: nothing is logged for them.
    signed_in(reported["ana"]).get(url)
    signed_in(reported["ben"]).get(url)
    assert ConversationRead.objects.count() == 2


def test_once_the_report_is_closed_it_cannot_be_read_and_nothing_more_is_logged(reported):
    services.flag_dismiss(flag=reported["flag"], moderator=reported["moderator"])
    url = f"/messages/{reported['topic'].pk}/"
    assert signed_in(reported["staff"]).get(url).status_code == 404
    assert not ConversationRead.objects.exists()
    with pytest.raises(Exception, match="only through an open report"):
        services.conversation_read_log(
            reader=reported["staff"],
            topic=reported["topic"],
            report=Flag.objects.get(pk=reported["flag"].pk),
            page=1,
        )


def test_reading_through_a_report_asks_a_moderator_for_a_second_factor(reported):
    without = adult(username="new_mod")
    without.groups.add(Group.objects.get(name=FORUM_MODERATORS))
    page = signed_in(without).get(f"/messages/{reported['topic'].pk}/")
    assert page.status_code == 403
    assert "Set up two-factor login" in page.content.decode()
    assert "Send me your stream key" not in page.content.decode()
    assert not ConversationRead.objects.exists()


def test_the_log_of_reads_is_shown_to_forum_moderators(reported):
    signed_in(reported["staff"]).get(f"/messages/{reported['topic'].pk}/")
    url = reverse("forums:moderation_log") + "?show=reads"
    page = signed_in(reported["moderator"]).get(url).content.decode()
    assert "staffer" in page and f"Conversation {reported['topic'].pk}, page 1" in page
    assert "by ana (open)" in page
    # Not the conversation's title: the log outlives the report.
    assert reported["topic"].title not in page
    assert signed_in(reported["stranger"]).get(url).status_code == 403


@pytest.mark.parametrize("reads", [1, 25])
def test_the_log_of_reads_costs_the_same_whatever_its_length(
    reported, reads, django_assert_num_queries
):
    """Prevents an N+1: each row's reader and report come with it."""
    for _ in range(reads):
        services.conversation_read_log(
            reader=reported["staff"], topic=reported["topic"], report=reported["flag"], page=1
        )
    client = signed_in(reported["moderator"])
    url = reverse("forums:moderation_log") + "?show=reads"
    client.get(url)
    # The user, the second-factor check (groups, profile), the moderator check, the count,
    # the header's moderator link, the page: the same for one row or a page full.
    with django_assert_num_queries(7):
        client.get(url)
